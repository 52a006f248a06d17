import type { Criteria } from '../findings/criteria.js';
import type { SeverityBand } from '../findings/severity.js';

/**
 * The validated configuration, as the rest of the program receives it. Built only by
 * `load-config.ts` from the `app.config` INI file (IBM's layout); nothing else reads the file
 * or the environment.
 */

export type RecurrencePolicy = 'reopen' | 'new' | 'ignore';
/** `aws_gd_deleted_incident`: what becomes of a finding whose incident no longer exists in SOAR. */
export type DeletedIncidentPolicy = 'recreate' | 'forget';
/** `aws_gd_sequence_members`: what becomes of the findings an attack sequence is made of. */
export type SequenceMembersPolicy = 'link' | 'fold' | 'separate';

export interface ProxySettings {
  /** e.g. `http://user:pass@proxy:3128`. */
  url: string;
  /** Where it was set, for messages: `[resilient] proxy_host`, or the environment variable. */
  source?: string;
}

export interface SoarConfig {
  /** Base URL without a trailing slash, e.g. `https://soar.example.com:443` or `http://127.0.0.1:4010`. */
  baseUrl: string;
  /** Optional `resource_prefix` (CP4S: `/api/respond`). */
  resourcePrefix: string;
  /** Org name, uuid or cloud account. */
  org: string;
  auth: { kind: 'apikey'; id: string; secret: string } | { kind: 'password'; email: string; password: string };
  /** Path of a PEM bundle to trust, `false` to disable verification, undefined for the system CAs. */
  cafile: string | false | undefined;
  timeoutMs: number;
  /** From `proxy_host`/`proxy_port`/`proxy_user`/`proxy_password`. */
  proxy: ProxySettings | undefined;
}

export interface AwsConfig {
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `aws_gd_role_arn`: assume this role for every GuardDuty/EC2 call. */
  roleArn: string | undefined;
  /** `aws_gd_role_arns`: role-per-account mode (issue 7); empty when not used. */
  roleArns: string[];
  roleSessionName: string;
  sessionDurationSeconds: number;
  externalId: string | undefined;
  masterRegion: string;
  /** `aws_gd_regions` compiled: unanchored, case-insensitive (as IBM). */
  regions: RegExp;
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  timeoutMs: number;
}

export interface PollingConfig {
  regionsIntervalMinutes: number;
  /** 0 disables the schedule (`run` then only serves health and waits for a signal). */
  pollingIntervalMinutes: number;
  severityThreshold: number | undefined;
  /** Undefined: everything GuardDuty retains. */
  lookbackMinutes: number | undefined;
  /** Re-read window behind the cursor (GuardDuty's one-second updatedAt and late writes). */
  cursorOverlapMinutes: number;
  accountsInclude: string[];
  accountsExclude: string[];
  includeSampleFindings: boolean;
  findingTypesInclude: RegExp | undefined;
  findingTypesExclude: RegExp | undefined;
  /** Extra criteria from `aws_gd_finding_criteria`, validated. */
  extraCriteria: Criteria;
}

export interface SyncConfig {
  archiveOnClose: boolean;
  closeOnArchive: boolean;
  onRecurrence: RecurrencePolicy;
  onDeletedIncident: DeletedIncidentPolicy;
  sequenceMembers: SequenceMembersPolicy;
  /** `aws_gd_sequence_close_members`: archive folded members with their sequence. */
  closeSequenceMembers: boolean;
  /** SOAR resolution name → GuardDuty feedback. */
  feedbackMap: Record<string, 'USEFUL' | 'NOT_USEFUL'>;
  /** `aws_gd_suppress_on_resolution`: resolutions whose close proposes or creates a suppression rule (empty: off). */
  suppressOnResolution: string[];
  suppressMode: 'propose' | 'create';
  suppressBy: 'resource' | 'remote_ip' | 'type';
}

export interface TemplatePaths {
  create: string;
  update: string;
  close: string;
}

/** The STOMP side of SOAR (`[resilient] stomp_*`, `num_workers`) and `aws_gd_functions`: where functions are served. */
export interface FunctionsConfig {
  /** `aws_gd_functions`: false turns the listener off (the daemon only polls). */
  enabled: boolean;
  /** `stomp_host`, else the host name of `host`. */
  host: string;
  port: number;
  /** `stomp_cafile`, else `cafile`: a PEM path, `false` (no verification), undefined (system CAs). */
  cafile: string | false | undefined;
  /** `stomp_timeout`: the TCP/TLS connect and the STOMP login each get this long. */
  timeoutMs: number;
  /** `stomp_prefetch_limit`, else `num_workers`: sent as `activemq.prefetchSize`. */
  prefetch: number;
  /** `num_workers`: most functions running at once. */
  workers: number;
}

export interface AppConfig {
  soar: SoarConfig;
  functions: FunctionsConfig;
  aws: AwsConfig;
  polling: PollingConfig;
  sync: SyncConfig;
  templates: TemplatePaths;
  /** GuardDuty severity band → SOAR severity name. */
  severityMap: Record<SeverityBand, string>;
  dbPath: string;
  /** `aws_gd_soar_concurrency`: the ceiling of the adaptive SOAR concurrency. */
  soarConcurrency: number;
  /** `aws_gd_soar_concurrency_min`: its floor (equal to the ceiling: a fixed concurrency). */
  soarConcurrencyMin: number;
  healthPort: number | undefined;
  /** SIGTERM: how long the findings in flight may take to finish before they are abandoned between two calls (ms). */
  shutdownTimeoutMs: number;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  logFormat: 'json' | 'text' | undefined;
  /** Every secret value found in the file, so the logger can scrub it anywhere. */
  secrets: string[];
  /** The effective configuration with every secret blanked, for the start-up log. */
  redacted: Record<string, Record<string, string>>;
  /** Non-fatal findings, e.g. unknown keys with the closest known key. */
  warnings: string[];
}
