import type { Detector, Setting, Status } from '../state/detector.js';
import { invalidParameter, badRequest } from '../protocol/service-error.js';
import { epochSeconds, isJsonObject, type JsonObject, type JsonValue } from '../protocol/wire.js';

/**
 * A detector's settings: GetDetector answers them, UpdateDetector changes them (Enable,
 * FindingPublishingFrequency, the deprecated DataSources and their successor Features).
 *
 * [I] where the model is silent: a new detector is ENABLED, publishes every SIX_HOURS (GuardDuty's
 * default for an administrator), with every foundational and protection feature enabled; features
 * not yet present (LAMBDA_NETWORK_LOGS, EKS_RUNTIME_MONITORING) are added by the update that names
 * them; `dataSources` and `features` in one update, or a feature named twice, are 400s.
 */

/** The model's DetectorFeature: what UpdateDetector may set (the foundational sources are always on). */
const UPDATABLE_FEATURES = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'EKS_RUNTIME_MONITORING', 'RUNTIME_MONITORING'];
const ADDITIONAL = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];
const FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'];
const STATUSES: Status[] = ['ENABLED', 'DISABLED'];

/** GetDetector's body. */
export function detectorBody(detector: Detector): JsonObject {
  const { config } = detector;
  const status = (name: string): Status => config.features.get(name)?.status ?? 'DISABLED';
  return {
    createdAt: detector.createdAt,
    updatedAt: new Date(config.updatedAt).toISOString(),
    findingPublishingFrequency: config.findingPublishingFrequency,
    serviceRole: `arn:aws:iam::${detector.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    status: config.status,
    dataSources: {
      cloudTrail: { status: status('CLOUD_TRAIL') },
      dnsLogs: { status: status('DNS_LOGS') },
      flowLogs: { status: status('FLOW_LOGS') },
      s3Logs: { status: status('S3_DATA_EVENTS') },
      kubernetes: { auditLogs: { status: status('EKS_AUDIT_LOGS') } },
      malwareProtection: {
        scanEc2InstanceWithFindings: { ebsVolumes: { status: status('EBS_MALWARE_PROTECTION') } },
        serviceRole: `arn:aws:iam::${detector.accountId}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
      },
    },
    tags: config.tags,
    features: [...config.features].map(([name, f]): JsonObject => ({
      name,
      status: f.status,
      updatedAt: epochSeconds(f.updatedAt),
      ...(f.additional.size > 0
        ? { additionalConfiguration: [...f.additional].map(([n, a]) => ({ name: n, status: a.status, updatedAt: epochSeconds(a.updatedAt) })) }
        : {}),
    })),
  };
}

/** UpdateDetector: everything is validated before anything changes. */
export function updateDetectorConfig(detector: Detector, body: JsonObject, now: number): void {
  const enable = optionalBoolean(body.enable, 'enable');
  const frequency = body.findingPublishingFrequency;
  if (frequency !== undefined && (typeof frequency !== 'string' || !FREQUENCIES.includes(frequency))) {
    throw invalidParameter('findingPublishingFrequency', `It must be one of ${FREQUENCIES.join(', ')}.`);
  }
  if (body.dataSources !== undefined && body.features !== undefined) {
    throw badRequest('The request is rejected because dataSources and features cannot both be specified; use features (dataSources is deprecated).');
  }
  const changes = body.features !== undefined ? parseFeatures(body.features) : parseDataSources(body.dataSources);
  const { config } = detector;
  if (enable !== undefined) config.status = enable ? 'ENABLED' : 'DISABLED';
  if (typeof frequency === 'string') config.findingPublishingFrequency = frequency;
  for (const change of changes) {
    const feature = config.features.get(change.name) ?? { status: change.status, updatedAt: now, additional: new Map<string, Setting>() };
    feature.status = change.status;
    feature.updatedAt = now;
    for (const [name, status] of change.additional) feature.additional.set(name, { status, updatedAt: now });
    config.features.set(change.name, feature);
  }
  config.updatedAt = now;
}

interface FeatureChange {
  name: string;
  status: Status;
  additional: [string, Status][];
}

function parseFeatures(value: JsonValue | undefined): FeatureChange[] {
  if (!Array.isArray(value)) throw invalidParameter('features', 'It must be a list of {name, status, additionalConfiguration}.');
  const changes = value.map((item, i): FeatureChange => {
    if (!isJsonObject(item)) throw invalidParameter(`features[${i}]`);
    const name = item.name;
    if (typeof name !== 'string' || !UPDATABLE_FEATURES.includes(name)) throw invalidParameter(`features[${i}].name`, `It must be one of ${UPDATABLE_FEATURES.join(', ')}.`);
    const extra = item.additionalConfiguration ?? [];
    if (!Array.isArray(extra)) throw invalidParameter(`features[${i}].additionalConfiguration`);
    return {
      name,
      status: status(item.status, `features[${i}].status`),
      additional: extra.map((a, j): [string, Status] => {
        const where = `features[${i}].additionalConfiguration[${j}]`;
        if (!isJsonObject(a) || typeof a.name !== 'string' || !ADDITIONAL.includes(a.name)) throw invalidParameter(`${where}.name`, `It must be one of ${ADDITIONAL.join(', ')}.`);
        return [a.name, status(a.status, `${where}.status`)];
      }),
    };
  });
  const names = changes.map((c) => c.name);
  if (new Set(names).size !== names.length) throw invalidParameter('features', 'A feature may be named only once.');
  if (names.includes('EKS_RUNTIME_MONITORING') && names.includes('RUNTIME_MONITORING')) {
    throw badRequest('The request is rejected because EKS_RUNTIME_MONITORING and RUNTIME_MONITORING cannot both be specified: Runtime Monitoring already covers Amazon EKS.');
  }
  return changes;
}

/** The deprecated DataSources, mapped onto the features that replaced them. */
function parseDataSources(value: JsonValue | undefined): FeatureChange[] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value)) throw invalidParameter('dataSources');
  const changes: FeatureChange[] = [];
  const add = (name: string, enable: unknown, member: string) => {
    const on = optionalBoolean(enable, member);
    if (on === undefined) throw invalidParameter(member, 'It is required.');
    changes.push({ name, status: on ? 'ENABLED' : 'DISABLED', additional: [] });
  };
  const { s3Logs, kubernetes, malwareProtection } = value;
  if (s3Logs !== undefined) add('S3_DATA_EVENTS', isJsonObject(s3Logs) ? s3Logs.enable : undefined, 'dataSources.s3Logs.enable');
  if (kubernetes !== undefined) {
    const audit = isJsonObject(kubernetes) && isJsonObject(kubernetes.auditLogs) ? kubernetes.auditLogs.enable : undefined;
    add('EKS_AUDIT_LOGS', audit, 'dataSources.kubernetes.auditLogs.enable');
  }
  const scan = isJsonObject(malwareProtection) ? malwareProtection.scanEc2InstanceWithFindings : undefined;
  if (isJsonObject(scan) && scan.ebsVolumes !== undefined) add('EBS_MALWARE_PROTECTION', scan.ebsVolumes, 'dataSources.malwareProtection.scanEc2InstanceWithFindings.ebsVolumes');
  return changes;
}

function status(value: unknown, member: string): Status {
  if (typeof value !== 'string' || !STATUSES.includes(value as Status)) throw invalidParameter(member, 'It must be ENABLED or DISABLED.');
  return value as Status;
}

function optionalBoolean(value: unknown, member: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidParameter(member, 'It must be true or false.');
  return value;
}
