import { ExternalServiceError, errorMessage } from '../errors.js';

/**
 * Turns a failed check into the reason and the fix an operator needs, the way a connector guide
 * would: by HTTP status (400 configuration, 401 credentials, 403 permissions, 404 address,
 * 429 throttled) and by network failure (timeout, DNS, refused, TLS).
 */
export function explainFailure(err: unknown, where: 'aws' | 'soar', permission?: string): { reason: string; fix: string } {
  const reason = errorMessage(err);
  if (!(err instanceof ExternalServiceError)) return { reason, fix: 'See the log for details.' };
  const code = err.code ?? '';
  const network = NETWORK_HINTS[code] ?? (/CERT|SELF_SIGNED|TLS|SSL/i.test(code) ? TLS_HINT : undefined);
  if (network) return { reason, fix: network[where] };
  switch (err.status) {
    case 400:
      return { reason, fix: where === 'aws' ? 'A parameter was rejected: check aws_gd_master_region, aws_gd_regions and the detector.' : 'SOAR rejected the request: check org and resource_prefix in [resilient].' };
    case 401:
      return { reason, fix: where === 'aws' ? 'Check the AWS access key (aws_gd_access_key_id / aws_gd_secret_access_key) or the credential chain.' : 'Check api_key_id and api_key_secret (or email and password) in [resilient]; the key may be disabled.' };
    case 403:
      return {
        reason,
        fix: where === 'aws'
          ? `The AWS identity lacks a permission${permission ? ` (${permission})` : ''}: add it to the IAM policy (see the README's IAM policy), or check the role's trust policy and external id.`
          : 'The SOAR API key lacks a permission: give its role the permissions listed in the README (read/create incidents, edit fields and status, edit notes, edit data).',
      };
    case 404:
      return { reason, fix: where === 'aws' ? 'Check the region names and the endpoint (AWS_ENDPOINT_URL_* if set).' : 'Check host, port and resource_prefix in [resilient] (CP4S needs resource_prefix = /api/respond).' };
    case 429:
      return { reason, fix: 'The service is throttling requests: wait and retry; lower aws_gd_soar_concurrency if SOAR is shared.' };
    default:
      return { reason, fix: err.retryable ? 'The service had a temporary failure: retry in a minute.' : 'See the log for details.' };
  }
}

type Hint = Record<'aws' | 'soar', string>;

const TLS_HINT: Hint = {
  aws: 'TLS to AWS failed: a proxy may be intercepting TLS; trust its CA in the container (NODE_EXTRA_CA_CERTS).',
  soar: 'The SOAR certificate is not trusted: set [resilient] cafile to the CA bundle that signed it (cafile = false disables verification, not recommended).',
};

const NETWORK_HINTS: Record<string, Hint> = {
  ENOTFOUND: { aws: 'DNS cannot resolve the AWS endpoint: check DNS and the proxy settings (http_proxy / https_proxy).', soar: 'DNS cannot resolve the SOAR host: check host in [resilient].' },
  EAI_AGAIN: { aws: 'DNS lookup failed temporarily: check DNS.', soar: 'DNS lookup failed temporarily: check DNS.' },
  ECONNREFUSED: { aws: 'Connection refused: check the proxy settings and any AWS_ENDPOINT_URL_* override.', soar: 'Connection refused: check host and port in [resilient], and that SOAR is up.' },
  ETIMEDOUT: { aws: 'Timed out: check network access to AWS (firewall, proxy), or raise [integrations] timeout.', soar: 'Timed out: check network access to SOAR (firewall, proxy_host), or raise [resilient] timeout.' },
  ECONNRESET: { aws: 'The connection was reset: a proxy or firewall may be dropping it.', soar: 'The connection was reset: a proxy or firewall may be dropping it.' },
  TimeoutError: { aws: 'Timed out: check network access to AWS, or raise [integrations] timeout.', soar: 'Timed out: check network access to SOAR, or raise [resilient] timeout.' },
};
