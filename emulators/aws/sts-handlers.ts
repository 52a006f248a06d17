import { roleId, type Caller, type RoleSpec, type Session } from './accounts.js';
import { STS_XMLNS, el, text, xmlDocument } from './query-protocol.js';
import { AwsServiceError } from './service-error.js';
import type { EmulatorState } from './state.js';

/** STS AssumeRole and GetCallerIdentity (awsQuery: `<Op>Response><Op>Result>` plus ResponseMetadata). */

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function handleSts(action: string, params: URLSearchParams, caller: Caller, state: EmulatorState, requestId: string): string {
  const metadata = el('ResponseMetadata', text('RequestId', requestId));
  if (action === 'GetCallerIdentity') {
    const result = el('GetCallerIdentityResult', text('Arn', caller.arn), text('UserId', caller.userId), text('Account', caller.account.id));
    return xmlDocument('GetCallerIdentityResponse', STS_XMLNS, result, metadata);
  }
  if (action === 'AssumeRole') {
    const session = assumeRole(params, caller, state);
    const result = el(
      'AssumeRoleResult',
      el(
        'Credentials',
        text('AccessKeyId', session.accessKeyId),
        text('SecretAccessKey', session.secretAccessKey),
        text('SessionToken', session.sessionToken),
        text('Expiration', new Date(session.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')),
      ),
      el(
        'AssumedRoleUser',
        text('AssumedRoleId', `${roleId(session.accountId, session.roleName)}:${session.sessionName}`),
        text('Arn', `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`),
      ),
    );
    return xmlDocument('AssumeRoleResponse', STS_XMLNS, result, metadata);
  }
  throw new AwsServiceError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
}

function assumeRole(params: URLSearchParams, caller: Caller, state: EmulatorState): Session {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : 3600;
  validate(roleArn, sessionName, duration);
  const match = ROLE_ARN.exec(roleArn) as RegExpExecArray;
  const [, accountId, roleName] = match as unknown as [string, string, string];
  const role = state.accounts.get(accountId)?.roles.get(roleName);
  if (!role || !externalIdAccepted(role, params.get('ExternalId'))) throw accessDenied(caller, roleArn);
  if (duration > (role.maxSessionDurationSeconds ?? 3600)) {
    throw new AwsServiceError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const p = state.prng;
  const session: Session = {
    accessKeyId: `ASIA${p.upper(16)}`,
    secretAccessKey: p.alnum(40),
    sessionToken: `IQoJb3JpZ2luX2Vj${p.alnum(300)}`,
    accountId,
    roleName,
    sessionName,
    expiresAt: state.now() + duration * 1000,
  };
  state.accounts.addSession(session);
  return session;
}

function validate(roleArn: string, sessionName: string, duration: number): void {
  const problems: string[] = [];
  if (!ROLE_ARN.test(roleArn) || roleArn.length < 20 || roleArn.length > 2048) {
    problems.push(`Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must be a valid IAM role ARN`);
  }
  if (!SESSION_NAME.test(sessionName)) {
    problems.push(`Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    problems.push(`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`);
  }
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`;
    throw new AwsServiceError(400, 'ValidationError', `${count} detected: ${problems.join('; ')}`);
  }
}

function externalIdAccepted(role: RoleSpec, externalId: string | null): boolean {
  return role.externalId === undefined || role.externalId === externalId;
}

function accessDenied(caller: Caller, roleArn: string): AwsServiceError {
  return new AwsServiceError(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
}
