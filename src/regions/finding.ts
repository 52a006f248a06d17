/**
 * A GuardDuty finding in our terms: the shape AWS tools show (PascalCase member names, as the AWS CLI
 * and SDK print them), as plain JSON: timestamp-typed members are ISO-8601 strings, never Date objects.
 *
 * Only the members the mappings read are declared; everything else the service sends is kept (index
 * signatures) so the note and the templates can show the whole finding. Every string in here is
 * attacker-influenced (user agents, domain names, bucket names, tags): escape it wherever it is rendered.
 */

import { NUMERIC_MEMBERS } from './finding-model.js';

type Open = Record<string, unknown>;

export interface Finding extends Open {
  AccountId: string;
  Arn: string;
  Id: string;
  Region: string;
  Type: string;
  CreatedAt: string;
  UpdatedAt: string;
  Severity?: number;
  Title?: string;
  Description?: string;
  Partition?: string;
  SchemaVersion?: string;
  Confidence?: number;
  Resource?: FindingResource;
  Service?: FindingService;
}

export interface Tag extends Open { Key?: string; Value?: string }

export interface FindingResource extends Open {
  ResourceType?: string;
  AccessKeyDetails?: { AccessKeyId?: string; PrincipalId?: string; UserName?: string; UserType?: string } & Open;
  InstanceDetails?: InstanceDetails;
  S3BucketDetails?: S3BucketDetail[];
  EksClusterDetails?: { Name?: string; Arn?: string; VpcId?: string; Status?: string; Tags?: Tag[]; CreatedAt?: string } & Open;
  KubernetesDetails?: {
    KubernetesUserDetails?: {
      Username?: string; Uid?: string; Groups?: string[]; SessionName?: string[];
      ImpersonatedUser?: { Username?: string; Groups?: string[] } & Open;
    } & Open;
    KubernetesWorkloadDetails?: {
      Name?: string; Type?: string; Uid?: string; Namespace?: string; ServiceAccountName?: string;
      HostNetwork?: boolean; HostIPC?: boolean; HostPID?: boolean; Containers?: ContainerDetail[];
      Volumes?: ({ Name?: string; HostPath?: { Path?: string } & Open } & Open)[];
    } & Open;
  } & Open;
  ContainerDetails?: ContainerDetail;
  EcsClusterDetails?: {
    Name?: string; Arn?: string; Status?: string; Tags?: Tag[];
    ActiveServicesCount?: number; RegisteredContainerInstancesCount?: number; RunningTasksCount?: number;
    TaskDetails?: {
      Arn?: string; DefinitionArn?: string; Version?: string; TaskCreatedAt?: string; StartedAt?: string;
      StartedBy?: string; Group?: string; LaunchType?: string; Containers?: ContainerDetail[];
    } & Open;
  } & Open;
  RdsDbInstanceDetails?: {
    DbInstanceIdentifier?: string; Engine?: string; EngineVersion?: string; DbClusterIdentifier?: string;
    DbInstanceArn?: string; DbiResourceId?: string; Tags?: Tag[];
  } & Open;
  RdsLimitlessDbDetails?: {
    DbShardGroupIdentifier?: string; DbShardGroupResourceId?: string; DbShardGroupArn?: string; Engine?: string;
    EngineVersion?: string; DbClusterIdentifier?: string; Tags?: Tag[];
  } & Open;
  RdsDbUserDetails?: { User?: string; Application?: string; Database?: string; Ssl?: string; AuthMethod?: string } & Open;
  LambdaDetails?: {
    FunctionArn?: string; FunctionName?: string; Description?: string; LastModifiedAt?: string;
    RevisionId?: string; FunctionVersion?: string; Role?: string; Tags?: Tag[];
    VpcConfig?: { SubnetIds?: string[]; VpcId?: string; SecurityGroups?: ({ GroupId?: string; GroupName?: string } & Open)[] } & Open;
  } & Open;
  EbsVolumeDetails?: { ScannedVolumeDetails?: VolumeDetail[]; SkippedVolumeDetails?: VolumeDetail[] } & Open;
  EbsSnapshotDetails?: { SnapshotArn?: string } & Open;
}

export interface InstanceDetails extends Open {
  AvailabilityZone?: string;
  ImageId?: string;
  ImageDescription?: string;
  InstanceId?: string;
  InstanceState?: string;
  InstanceType?: string;
  LaunchTime?: string;
  Platform?: string;
  IamInstanceProfile?: { Arn?: string; Id?: string } & Open;
  NetworkInterfaces?: NetworkInterface[];
  Tags?: Tag[];
}

export interface NetworkInterface extends Open {
  NetworkInterfaceId?: string;
  PrivateDnsName?: string;
  PrivateIpAddress?: string;
  PrivateIpAddresses?: ({ PrivateDnsName?: string; PrivateIpAddress?: string } & Open)[];
  PublicDnsName?: string;
  PublicIp?: string;
  SubnetId?: string;
  VpcId?: string;
  SecurityGroups?: ({ GroupId?: string; GroupName?: string } & Open)[];
}

export interface S3BucketDetail extends Open {
  Arn?: string;
  Name?: string;
  Type?: string;
  CreatedAt?: string;
  Owner?: { Id?: string } & Open;
  Tags?: Tag[];
  DefaultServerSideEncryption?: { EncryptionType?: string; KmsMasterKeyArn?: string } & Open;
  PublicAccess?: { EffectivePermission?: string } & Open;
  S3ObjectDetails?: ({ ObjectArn?: string; Key?: string; ETag?: string; Hash?: string; VersionId?: string } & Open)[];
}

export interface ContainerDetail extends Open {
  ContainerRuntime?: string;
  Id?: string;
  Name?: string;
  Image?: string;
  ImagePrefix?: string;
  VolumeMounts?: ({ Name?: string; MountPath?: string } & Open)[];
  SecurityContext?: { Privileged?: boolean; AllowPrivilegeEscalation?: boolean } & Open;
}

export interface VolumeDetail extends Open {
  VolumeArn?: string; VolumeType?: string; DeviceName?: string; VolumeSizeInGB?: number;
  EncryptionType?: string; SnapshotArn?: string; KmsKeyArn?: string;
}

export interface IpDetails extends Open {
  IpAddressV4?: string;
  IpAddressV6?: string;
  City?: { CityName?: string } & Open;
  Country?: { CountryCode?: string; CountryName?: string } & Open;
  GeoLocation?: { Lat?: number; Lon?: number } & Open;
  Organization?: { Asn?: string; AsnOrg?: string; Isp?: string; Org?: string } & Open;
}

export interface PortDetails extends Open { Port?: number; PortName?: string }

export interface FindingService extends Open {
  Archived?: boolean;
  Count?: number;
  DetectorId?: string;
  EventFirstSeen?: string;
  EventLastSeen?: string;
  ResourceRole?: string;
  ServiceName?: string;
  UserFeedback?: string;
  FeatureName?: string;
  AdditionalInfo?: { Value?: string; Type?: string } & Open;
  Evidence?: { ThreatIntelligenceDetails?: ({ ThreatListName?: string; ThreatNames?: string[] } & Open)[] } & Open;
  Action?: FindingAction;
  EbsVolumeScanDetails?: {
    ScanId?: string; ScanStartedAt?: string; ScanCompletedAt?: string; TriggerFindingId?: string; Sources?: string[];
    ScanType?: string;
    ScanDetections?: {
      ThreatDetectedByName?: {
        ItemCount?: number; UniqueThreatNameCount?: number; Shortened?: boolean;
        ThreatNames?: ({
          Name?: string; Severity?: string; ItemCount?: number;
          FilePaths?: ({ FilePath?: string; VolumeArn?: string; Hash?: string; FileName?: string } & Open)[];
        } & Open)[];
      } & Open;
    } & Open;
  } & Open;
  MalwareScanDetails?: {
    ScanId?: string; ScanType?: string; ScanCategory?: string; UniqueThreatCount?: number;
    Threats?: ({
      Name?: string; Source?: string; Hash?: string; Count?: number;
      ItemPaths?: ({ NestedItemPath?: string; Hash?: string } & Open)[];
      ItemDetails?: ({ ResourceArn?: string; ItemPath?: string; Hash?: string; AdditionalInfo?: { DeviceName?: string; VersionId?: string } & Open } & Open)[];
    } & Open)[];
  } & Open;
  RuntimeDetails?: { Process?: ProcessDetails; Context?: RuntimeContext } & Open;
}

/** What a runtime finding saw besides the process: the processes it acted on and the files involved. */
export interface RuntimeContext extends Open {
  ModifyingProcess?: ProcessDetails;
  TargetProcess?: ProcessDetails;
  ThreatFilePath?: string;
  FilePath?: string;
  ScriptPath?: string;
  LibraryPath?: string;
  ModuleFilePath?: string;
  CommandLineExample?: string;
  ToolName?: string;
}

export interface ProcessDetails extends Open {
  Name?: string;
  ExecutablePath?: string;
  /** In the service model's schema (the SDK deserializes it) though missing from the SDK's .d.ts. */
  ExecutableSha256?: string;
  Pid?: number;
  NamespacePid?: number;
  Pwd?: string;
  User?: string;
  UserId?: number;
  Euid?: number;
  Uuid?: string;
  ParentUuid?: string;
  StartTime?: string;
  /** Ancestors, the parent first. The model gives lineage entries no hash and no user name. */
  Lineage?: ({
    Name?: string; Pid?: number; NamespacePid?: number; ExecutablePath?: string; UserId?: number; Euid?: number;
    Uuid?: string; ParentUuid?: string; StartTime?: string;
  } & Open)[];
}

export interface FindingAction extends Open {
  ActionType?: string;
  AwsApiCallAction?: {
    Api?: string; CallerType?: string; ServiceName?: string; ErrorCode?: string; UserAgent?: string;
    DomainDetails?: { Domain?: string } & Open;
    RemoteIpDetails?: IpDetails;
    RemoteAccountDetails?: { AccountId?: string; Affiliated?: boolean } & Open;
    AffectedResources?: Record<string, string>;
  } & Open;
  NetworkConnectionAction?: {
    Blocked?: boolean; ConnectionDirection?: string; Protocol?: string;
    LocalPortDetails?: PortDetails; RemotePortDetails?: PortDetails;
    LocalIpDetails?: IpDetails; RemoteIpDetails?: IpDetails;
  } & Open;
  DnsRequestAction?: { Domain?: string; Protocol?: string; Blocked?: boolean; DomainWithSuffix?: string } & Open;
  PortProbeAction?: {
    Blocked?: boolean;
    PortProbeDetails?: ({ LocalPortDetails?: PortDetails; LocalIpDetails?: IpDetails; RemoteIpDetails?: IpDetails } & Open)[];
  } & Open;
  KubernetesApiCallAction?: {
    RequestUri?: string; Verb?: string; Resource?: string; Subresource?: string; Namespace?: string;
    ResourceName?: string; SourceIps?: string[]; UserAgent?: string; RemoteIpDetails?: IpDetails; StatusCode?: number;
    Parameters?: string;
  } & Open;
  RdsLoginAttemptAction?: {
    RemoteIpDetails?: IpDetails;
    LoginAttributes?: ({ User?: string; Application?: string; FailedLoginAttempts?: number; SuccessfulLoginAttempts?: number } & Open)[];
  } & Open;
}

/** The identity of a finding inside one detector, as the daemon keys everything. */
export interface FindingKey {
  /** The account whose credentials list the detector (the administrator in administrator mode). */
  account: string;
  region: string;
  detectorId: string;
  findingId: string;
}

/**
 * The key as one string, `account/region/detector/finding`: how pending operations and notes name
 * the finding they belong to. None of the four parts contains a slash.
 */
export function findingKeyString(key: FindingKey): string {
  return `${key.account}/${key.region}/${key.detectorId}/${key.findingId}`;
}

/** The inverse of `findingKeyString`; undefined for a string that is not one. */
export function parseFindingKey(text: string): FindingKey | undefined {
  const [account, region, detectorId, findingId] = text.split('/');
  return account && region && detectorId && findingId ? { account, region, detectorId, findingId } : undefined;
}

export function isSampleFinding(finding: Finding): boolean {
  const value = finding.Service?.AdditionalInfo?.Value;
  if (typeof value !== 'string' || value === '') return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && (parsed as { sample?: unknown }).sample === true;
  } catch {
    return false;
  }
}

/**
 * C0 controls but tab, newline and carriage return, DEL, C1 controls and lone UTF-16 surrogates: a
 * finding may carry them (a parser bug upstream, or an attacker who picked a user agent), and none
 * belongs in an incident name, a note, a table cell or an artifact. Each becomes U+FFFD, so a
 * responder sees that something was there.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(UNSAFE_TEXT, '\uFFFD');
}

/**
 * A finding as read from GuardDuty, made fit for SOAR once, where it enters the daemon (every read
 * goes through it, so templates, notes, rows, artifacts and function results all see the same): every
 * string and map key cleaned by `cleanText`, and a numeric string (`"Count": "14"`) where the model
 * says number turned into that number. Anything else in a numeric member is left for
 * `assertWellFormed` to refuse.
 */
export function cleanFinding(finding: Finding): Finding {
  return cleanValue(finding, NUMERIC_TREE) as Finding;
}

/** A finding with a member the daemon cannot read as the model types it: that finding alone is refused. */
export class MalformedFindingError extends Error {
  constructor(readonly findingId: string, readonly path: string, readonly valueType: string) {
    super(`Finding ${findingId}: ${path} is a ${valueType} where GuardDuty's model says number; `
      + 'this finding is not escalated and is retried with backoff (a later version GuardDuty sends is read again)');
    this.name = 'MalformedFindingError';
  }
}

/** Throws MalformedFindingError naming the first numeric member (model) that holds a non-number. */
export function assertWellFormed(finding: Finding): void {
  const bad = firstNonNumber(finding, NUMERIC_TREE, '');
  if (bad) throw new MalformedFindingError(finding.Id, bad.path, bad.type);
}

const NUMERIC_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** NUMERIC_MEMBERS as a tree of member names, so one walk of a finding visits only those branches. */
interface MemberNode { numeric: boolean; children: Map<string, MemberNode> }

const NUMERIC_TREE: MemberNode = (() => {
  const root: MemberNode = { numeric: false, children: new Map() };
  for (const path of NUMERIC_MEMBERS) {
    let node = root;
    for (const name of path.split('.')) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { numeric: false, children: new Map() }));
      node = child;
    }
    node.numeric = true;
  }
  return root;
})();

function cleanValue(value: unknown, node: MemberNode | undefined): unknown {
  if (typeof value === 'string') {
    const text = cleanText(value);
    return node?.numeric && NUMERIC_TEXT.test(text.trim()) ? Number(text.trim()) : text;
  }
  if (Array.isArray(value)) return value.map((item) => cleanValue(item, node));
  if (value !== null && typeof value === 'object') {
    const out: Open = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanValue(v, node?.children.get(k));
    return out;
  }
  return value;
}

function firstNonNumber(value: unknown, node: MemberNode, path: string): { path: string; type: string } | undefined {
  if (node.numeric) {
    if (value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value))) return undefined;
    return { path, type: Array.isArray(value) ? 'list' : typeof value === 'number' ? 'non-finite number' : typeof value };
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const bad = firstNonNumber(item, node, `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [name, child] of node.children) {
    if (!(name in value)) continue;
    const bad = firstNonNumber((value as Open)[name], child, path === '' ? name : `${path}.${name}`);
    if (bad) return bad;
  }
  return undefined;
}
