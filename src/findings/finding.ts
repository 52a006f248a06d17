/**
 * A GuardDuty finding in our terms: the shape AWS tools show (PascalCase member names, as the AWS CLI
 * and SDK print them), as plain JSON: timestamp-typed members are ISO-8601 strings, never Date objects.
 *
 * Only the members the mappings read are declared; everything else the service sends is kept (index
 * signatures) so the note and the templates can show the whole finding. Every string in here is
 * attacker-influenced (user agents, domain names, bucket names, tags): escape it wherever it is rendered.
 */

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

/** What a responder tells GuardDuty about a finding (UpdateFindingsFeedback; read back as `UserFeedback`). */
export type Feedback = 'USEFUL' | 'NOT_USEFUL';

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
