import { roleId, type Caller, type RoleSpec, type Session } from '../accounts/accounts.js';
import { STS_XMLNS, el, text, xmlDocument } from '../protocol/query-protocol.js';
import { AwsServiceError } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';

/**
 * STS AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity (awsQuery: `<Op>Response><Op>Result>`
 * plus ResponseMetadata).
 */

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** STS operations the SDK sends unsigned (`noAuth` in the model): the token is the credential. */
export const UNSIGNED_STS_ACTIONS: ReadonlySet<string> = new Set(['AssumeRoleWithWebIdentity']);

export function handleSts(action: string, params: URLSearchParams, caller: Caller | undefined, state: EmulatorState, requestId: string): string {
  const metadata = el('ResponseMetadata', text('RequestId', requestId));
  if (action === 'AssumeRoleWithWebIdentity') return assumeRoleWithWebIdentity(params, state, metadata);
  if (!caller) throw new AwsServiceError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  if (action === 'GetCallerIdentity') {
    const result = el('GetCallerIdentityResult', text('Arn', caller.arn), text('UserId', caller.userId), text('Account', caller.account.id));
    return xmlDocument('GetCallerIdentityResponse', STS_XMLNS, result, metadata);
  }
  if (action === 'AssumeRole') {
    const session = assumeRole(params, caller, state);
    return xmlDocument('AssumeRoleResponse', STS_XMLNS, el('AssumeRoleResult', credentialsXml(session), assumedRoleUserXml(session)), metadata);
  }
  throw new AwsServiceError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
}

function credentialsXml(session: Session): string {
  return el(
    'Credentials',
    text('AccessKeyId', session.accessKeyId),
    text('SecretAccessKey', session.secretAccessKey),
    text('SessionToken', session.sessionToken),
    text('Expiration', new Date(session.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')),
  );
}

function assumedRoleUserXml(session: Session): string {
  return el(
    'AssumedRoleUser',
    text('AssumedRoleId', `${roleId(session.accountId, session.roleName)}:${session.sessionName}`),
    text('Arn', `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`),
  );
}

function assumeRole(params: URLSearchParams, caller: Caller, state: EmulatorState): Session {
  const denied = (): AwsServiceError => accessDenied(caller.arn, 'sts:AssumeRole', roleArn(params));
  const { role, duration } = resolveRole(params, state, denied);
  if (!externalIdAccepted(role.spec, params.get('ExternalId'))) throw denied();
  return issueSession(state, role.accountId, role.spec.name, params.get('RoleSessionName') ?? '', duration);
}

/**
 * [I] Any well-formed token is accepted for any role of the emulator (there is no identity provider
 * to verify it against); a JWT's `sub`, `aud` and `iss` claims are echoed back as AWS does.
 */
function assumeRoleWithWebIdentity(params: URLSearchParams, state: EmulatorState, metadata: string): string {
  const token = params.get('WebIdentityToken') ?? '';
  if (token.length < 4 || token.length > 20_000) {
    throw new AwsServiceError(400, 'ValidationError', "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length between 4 and 20000");
  }
  const claims = jwtClaims(token);
  if (claims === 'malformed') throw new AwsServiceError(400, 'InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS.');
  const { role, duration } = resolveRole(params, state, () => accessDenied(`web identity ${claims.sub ?? 'token'}`, 'sts:AssumeRoleWithWebIdentity', roleArn(params)));
  const session = issueSession(state, role.accountId, role.spec.name, params.get('RoleSessionName') ?? '', duration);
  const result = el(
    'AssumeRoleWithWebIdentityResult',
    credentialsXml(session),
    assumedRoleUserXml(session),
    text('SubjectFromWebIdentityToken', claims.sub ?? 'emulator-subject'),
    text('Audience', claims.aud ?? 'sts.amazonaws.com'),
    text('Provider', claims.iss ?? 'emulator-identity-provider'),
  );
  return xmlDocument('AssumeRoleWithWebIdentityResponse', STS_XMLNS, result, metadata);
}

/** A JWT's claims; a token that is not three dot-separated parts is treated as an opaque token. */
function jwtClaims(token: string): { sub?: string; aud?: string; iss?: string } | 'malformed' {
  const parts = token.split('.');
  if (parts.length !== 3) return {};
  try {
    const payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
    return { sub: str(payload.sub), aud: str(payload.aud), iss: str(payload.iss) };
  } catch {
    return 'malformed';
  }
}

function roleArn(params: URLSearchParams): string {
  return params.get('RoleArn') ?? '';
}

function resolveRole(
  params: URLSearchParams, state: EmulatorState, denied: () => AwsServiceError,
): { role: { accountId: string; spec: RoleSpec }; duration: number } {
  const arn = roleArn(params);
  const duration = params.has('DurationSeconds') ? Number(params.get('DurationSeconds')) : 3600;
  validate(arn, params.get('RoleSessionName') ?? '', duration);
  const [, accountId, roleName] = ROLE_ARN.exec(arn) as unknown as [string, string, string];
  const spec = state.accounts.get(accountId)?.roles.get(roleName);
  if (!spec) throw denied();
  if (duration > (spec.maxSessionDurationSeconds ?? 3600)) {
    throw new AwsServiceError(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  return { role: { accountId, spec }, duration };
}

function issueSession(state: EmulatorState, accountId: string, roleName: string, sessionName: string, duration: number): Session {
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

function accessDenied(principal: string, action: string, roleArn: string): AwsServiceError {
  return new AwsServiceError(403, 'AccessDenied', `User: ${principal} is not authorized to perform: ${action} on resource: ${roleArn}`);
}
