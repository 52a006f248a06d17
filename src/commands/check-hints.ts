import { ExternalServiceError, errorMessage } from '../core/errors.js';

/**
 * Turns a failed check into the reason and the fix an operator needs, the way a connector guide
 * would: 400 configuration, 401 credentials, 403 permissions, 404 address, 407 proxy credentials,
 * 429 throttled, 5xx the service, then timeouts, DNS, refused connections and TLS. AWS error codes
 * are read before statuses because AWS answers a bad access key with 403 (InvalidClientTokenId),
 * which is a credentials problem, not a missing permission.
 */

export type FailureClass =
  | 'configuration' | 'credentials' | 'permissions' | 'address' | 'proxy-auth' | 'throttled' | 'service'
  | 'timeout' | 'dns' | 'refused' | 'reset' | 'tls' | 'no-credentials' | 'expired' | 'trust' | 'org' | 'unknown';

export interface Explanation {
  class: FailureClass;
  reason: string;
  fix: string;
}

type Where = 'aws' | 'soar';

const AWS_BAD_KEY = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'AuthFailure', 'SignatureDoesNotMatch', 'InvalidSignatureException',
  'IncompleteSignature', 'IncompleteSignatureException', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException',
]);
const AWS_EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
const AWS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const AWS_THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const ORG_CODES = new Set(['ORG_NOT_FOUND', 'ORG_DISABLED', 'NO_ORGS']);
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|TLS|SSL|EPROTO/i;

const NETWORK: Record<string, FailureClass> = {
  ENOTFOUND: 'dns', EAI_AGAIN: 'dns',
  ECONNREFUSED: 'refused', EHOSTUNREACH: 'refused', ENETUNREACH: 'refused',
  ETIMEDOUT: 'timeout', ECONNABORTED: 'timeout', ESOCKETTIMEDOUT: 'timeout', TimeoutError: 'timeout', RequestTimeout: 'timeout',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'timeout',
  ECONNRESET: 'reset', EPIPE: 'reset',
};

/** The class of a failure: what kind of thing the operator has to fix. */
export function classifyFailure(err: unknown): FailureClass {
  if (!(err instanceof ExternalServiceError)) return 'unknown';
  const code = err.code ?? '';
  if (ORG_CODES.has(code)) return 'org';
  if (code === 'CredentialsProviderError') return 'no-credentials';
  const network = NETWORK[code];
  if (network) return network;
  if (err.status === undefined && TLS_CODE.test(code)) return 'tls';
  if (err.service !== 'soar') {
    if (AWS_BAD_KEY.has(code)) return 'credentials';
    if (AWS_EXPIRED.has(code)) return 'expired';
    if (AWS_DENIED.has(code)) return err.operation === 'AssumeRole' ? 'trust' : 'permissions';
    if (AWS_THROTTLED.has(code)) return 'throttled';
  }
  switch (err.status) {
    case 400: return 'configuration';
    case 401: return 'credentials';
    case 403: return 'permissions';
    case 404: return 'address';
    case 407: return 'proxy-auth';
    case 429: return 'throttled';
    default: return err.status !== undefined && err.status >= 500 ? 'service' : 'unknown';
  }
}

/** The reason (the error as the service put it) and the fix for one failed check. */
export function explainFailure(err: unknown, where: Where, permission?: string): Explanation {
  const cls = classifyFailure(err);
  return { class: cls, reason: errorMessage(err), fix: (where === 'aws' ? awsFix : soarFix)(cls, permission) };
}

function awsFix(cls: FailureClass, permission: string | undefined): string {
  switch (cls) {
    case 'configuration': return 'AWS rejected a parameter: check aws_gd_master_region, aws_gd_regions and the role settings (aws_gd_role_arn, aws_gd_session_duration).';
    case 'credentials': return 'The AWS access key is not valid here: check aws_gd_access_key_id and aws_gd_secret_access_key (or the credentials the default chain found); an opt-in region must be enabled for the account.';
    case 'no-credentials': return 'No AWS credentials were found: set aws_gd_access_key_id and aws_gd_secret_access_key, or give the default chain credentials (AWS_ACCESS_KEY_ID, AWS_PROFILE, a container or instance role, web identity).';
    case 'expired': return 'The AWS credentials expired: renew them (temporary keys, profile or SSO session) and check the system clock.';
    case 'permissions': return `The AWS identity lacks a permission${permission ? ` (${permission})` : ''}: add it to its IAM policy (docs/operations.md, "IAM policies").`;
    case 'trust': return "The role refused to be assumed: check aws_gd_role_arn, that the role's trust policy names this identity, and aws_gd_external_id if the trust policy requires sts:ExternalId; the caller also needs sts:AssumeRole on the role.";
    case 'address': return 'AWS answered 404: check the region names and any AWS_ENDPOINT_URL_* override.';
    case 'proxy-auth': return 'The proxy refused the credentials: check the user and password in http_proxy / https_proxy.';
    case 'throttled': return 'AWS is throttling the account: wait and run check again; other tools may share the quota.';
    case 'service': return 'AWS had an internal error: run check again in a minute.';
    case 'timeout': return 'Timed out: check network access to AWS (firewall, proxy), or raise [integrations] timeout.';
    case 'dns': return 'DNS cannot resolve the AWS endpoint: check DNS, http_proxy / https_proxy, and any AWS_ENDPOINT_URL_* override.';
    case 'refused': return 'Connection refused: check http_proxy / https_proxy and any AWS_ENDPOINT_URL_* override.';
    case 'reset': return 'The connection was reset: a proxy or firewall may be dropping it.';
    case 'tls': return 'TLS to AWS failed: a proxy may be intercepting TLS; trust its CA with NODE_EXTRA_CA_CERTS.';
    default: return 'See the log for details.';
  }
}

function soarFix(cls: FailureClass): string {
  switch (cls) {
    case 'configuration': return 'SOAR rejected the request: check org and resource_prefix in [resilient].';
    case 'credentials': return 'Check api_key_id and api_key_secret (or email and password) in [resilient]; the key may be disabled or deleted.';
    case 'permissions': return "The SOAR API key lacks a permission: give its role the permissions in docs/operations.md (read and create incidents, edit fields and status, notes, data).";
    case 'org': return 'Set [resilient] org to the name (or uuid) of an org the API key belongs to.';
    case 'address': return 'Check host, port and resource_prefix in [resilient] (Cloud Pak for Security needs resource_prefix = /api/respond).';
    case 'proxy-auth': return 'The proxy refused the credentials: check proxy_user and proxy_password in [resilient].';
    case 'throttled': return 'SOAR is throttling requests: wait and run check again; lower aws_gd_soar_concurrency if SOAR is shared.';
    case 'service': return 'SOAR had an internal error: check its health and run check again.';
    case 'timeout': return 'Timed out: check network access to SOAR (firewall, proxy_host), or raise [resilient] timeout.';
    case 'dns': return 'DNS cannot resolve the SOAR host: check host in [resilient] and DNS.';
    case 'refused': return 'Connection refused: check host and port in [resilient], proxy_host/proxy_port, and that SOAR is up.';
    case 'reset': return 'The connection was reset: a proxy or firewall may be dropping it, or the port does not speak the scheme in host (http/https).';
    case 'tls': return 'The SOAR certificate is not trusted: set [resilient] cafile to the PEM bundle of the CA that signed it (cafile = false turns verification off: not recommended).';
    default: return 'See the log for details.';
  }
}
