/**
 * GuardDuty's REST routes that the emulator serves, as in the SDK's schemas
 * (node_modules/@aws-sdk/client-guardduty/dist-es/schemas/schemas_0.js, `[_ht]` traits).
 */

export type GuardDutyOperation =
  | 'ListDetectors'
  | 'GetDetector'
  | 'ListFindings'
  | 'GetFindings'
  | 'ArchiveFindings'
  | 'UnarchiveFindings'
  | 'CreateSampleFindings'
  | 'UpdateFindingsFeedback'
  | 'GetFindingsStatistics'
  | 'GetAdministratorAccount';

export interface GuardDutyRoute {
  operation: GuardDutyOperation;
  detectorId: string | undefined;
}

const FINDINGS_SUFFIX: Record<string, GuardDutyOperation> = {
  '': 'ListFindings',
  get: 'GetFindings',
  archive: 'ArchiveFindings',
  unarchive: 'UnarchiveFindings',
  create: 'CreateSampleFindings',
  feedback: 'UpdateFindingsFeedback',
  statistics: 'GetFindingsStatistics',
};

export function matchGuardDutyRoute(method: string, pathname: string): GuardDutyRoute | undefined {
  const parts = pathname.split('/').slice(1).map(decodeURIComponent);
  if (parts[0] !== 'detector') return undefined;
  const detectorId = parts[1];
  if (parts.length === 1) return method === 'GET' ? { operation: 'ListDetectors', detectorId: undefined } : undefined;
  if (parts.length === 2) return method === 'GET' ? { operation: 'GetDetector', detectorId } : undefined;
  if (parts.length === 3 && parts[2] === 'administrator') {
    return method === 'GET' ? { operation: 'GetAdministratorAccount', detectorId } : undefined;
  }
  if (parts[2] !== 'findings' || parts.length > 4 || method !== 'POST') return undefined;
  const operation = FINDINGS_SUFFIX[parts[3] ?? ''];
  return operation ? { operation, detectorId } : undefined;
}
