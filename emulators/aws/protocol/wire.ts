/**
 * The JSON the emulator stores and serves: GuardDuty's wire format (camelCase member names, with the
 * model's quirks `LoginAttributes`, `sourceIPs`, `productCodeId`/`productCodeType`). Timestamp-typed
 * members are epoch seconds (numbers); `createdAt`/`updatedAt`/`eventFirstSeen`/`eventLastSeen`/
 * `launchTime` are ISO strings, because the model declares them as strings.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export interface WireService extends JsonObject {
  archived: boolean;
  count: number;
  detectorId: string;
  serviceName?: string;
  eventFirstSeen?: string;
  eventLastSeen?: string;
  resourceRole?: string;
  userFeedback?: string;
  additionalInfo?: JsonObject;
  action?: JsonObject;
}

export interface WireFinding extends JsonObject {
  accountId: string;
  arn: string;
  id: string;
  region: string;
  partition: string;
  type: string;
  schemaVersion: string;
  severity: number;
  createdAt: string;
  updatedAt: string;
  title?: string;
  description?: string;
  confidence?: number;
  resource: JsonObject;
  service: WireService;
}

export type AwsService = 'guardduty' | 'ec2' | 'sts' | 's3';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function findingArn(region: string, accountId: string, detectorId: string, findingId: string): string {
  return `arn:aws:guardduty:${region}:${accountId}:detector/${detectorId}/finding/${findingId}`;
}

/** Epoch seconds, the restJson1 encoding of timestamp-typed members. */
export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
