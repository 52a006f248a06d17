/**
 * The members of a GuardDuty finding that the service model (guardduty 2017-11-28) types as numbers
 * (integer, long or double), as dotted PascalCase paths with list levels left out. The AWS SDK passes
 * a JSON string in such a member through unchanged, so `cleanFinding` and `assertWellFormed` check
 * these paths: a numeric string becomes the number, anything else refuses the finding, path named.
 * Only these paths: the same member name can be a string elsewhere (a threat name's `Severity`).
 */
const PROCESS = ['Euid', 'NamespacePid', 'Pid', 'UserId'];
const PROCESSES = ['Process', 'Context.ModifyingProcess', 'Context.TargetProcess']
  .flatMap((p) => [p, `${p}.Lineage`])
  .flatMap((p) => PROCESS.map((m) => `Service.RuntimeDetails.${p}.${m}`));
const GEO = ['AwsApiCallAction', 'KubernetesApiCallAction', 'NetworkConnectionAction', 'PortProbeAction.PortProbeDetails', 'RdsLoginAttemptAction']
  .flatMap((a) => [`Service.Action.${a}.RemoteIpDetails.GeoLocation.Lat`, `Service.Action.${a}.RemoteIpDetails.GeoLocation.Lon`]);
const SCAN = 'Service.EbsVolumeScanDetails.ScanDetections';
const SEQUENCE = 'Service.Detection.Sequence';

export const NUMERIC_MEMBERS: ReadonlySet<string> = new Set([
  'Severity',
  'Confidence',
  'Service.Count',
  'Resource.EbsVolumeDetails.ScannedVolumeDetails.VolumeSizeInGB',
  'Resource.EbsVolumeDetails.SkippedVolumeDetails.VolumeSizeInGB',
  'Resource.EcsClusterDetails.ActiveServicesCount',
  'Resource.EcsClusterDetails.RegisteredContainerInstancesCount',
  'Resource.EcsClusterDetails.RunningTasksCount',
  ...GEO,
  'Service.Action.KubernetesApiCallAction.StatusCode',
  'Service.Action.NetworkConnectionAction.LocalPortDetails.Port',
  'Service.Action.NetworkConnectionAction.RemotePortDetails.Port',
  'Service.Action.PortProbeAction.PortProbeDetails.LocalPortDetails.Port',
  'Service.Action.RdsLoginAttemptAction.LoginAttributes.FailedLoginAttempts',
  'Service.Action.RdsLoginAttemptAction.LoginAttributes.SuccessfulLoginAttempts',
  `${SEQUENCE}.Endpoints.AutonomousSystem.Number`,
  `${SEQUENCE}.Endpoints.Location.Latitude`,
  `${SEQUENCE}.Endpoints.Location.Longitude`,
  `${SEQUENCE}.Endpoints.Port`,
  `${SEQUENCE}.Signals.Count`,
  `${SEQUENCE}.Signals.Severity`,
  `${SCAN}.HighestSeverityThreatDetails.Count`,
  `${SCAN}.ScannedItemCount.Files`,
  `${SCAN}.ScannedItemCount.TotalGb`,
  `${SCAN}.ScannedItemCount.Volumes`,
  `${SCAN}.ThreatDetectedByName.ItemCount`,
  `${SCAN}.ThreatDetectedByName.ThreatNames.ItemCount`,
  `${SCAN}.ThreatDetectedByName.UniqueThreatNameCount`,
  `${SCAN}.ThreatsDetectedItemCount.Files`,
  'Service.MalwareScanDetails.Threats.Count',
  'Service.MalwareScanDetails.UniqueThreatCount',
  'Service.RuntimeDetails.Context.IanaProtocolNumber',
  ...PROCESSES,
]);
