import type { FunctionsConfig, ProxySettings, SoarConfig } from './app-config.js';
import type { RESILIENT_KEYS } from './keys-resilient.js';
import type { ReadContext, SectionReading } from './read-section.js';

/**
 * `[resilient]` → SoarConfig: the checks that combine keys (login pair, port, proxy parts).
 * Values of keys that failed on their own are skipped; the result is only used when no problem
 * was found anywhere.
 */

type Resilient = SectionReading<typeof RESILIENT_KEYS>;

export function buildSoarConfig(r: Resilient, rc: ReadContext): SoarConfig {
  const v = r.values;
  if (v.cafile === false) {
    rc.warnings.push('[resilient] cafile = false: TLS certificates of SOAR are NOT verified; anyone on the path can read the API key.');
  }
  return {
    baseUrl: baseUrl(r, rc),
    resourcePrefix: normalisePrefix(v.resource_prefix ?? ''),
    org: v.org ?? '',
    auth: readAuth(r, rc),
    cafile: v.cafile,
    timeoutMs: (v.timeout ?? 60) * 1000,
    proxy: readProxy(r, rc),
  };
}

/**
 * `[resilient] stomp_*`, `num_workers` and `aws_gd_functions` → FunctionsConfig, with
 * resilient-circuits' fallbacks (stomp_host → host, stomp_cafile → cafile, stomp_prefetch_limit → num_workers).
 */
export function buildFunctionsConfig(r: Resilient, enabled: boolean, rc: ReadContext): FunctionsConfig {
  const v = r.values;
  const cafile = v.stomp_cafile ?? v.cafile;
  if (enabled && v.stomp_cafile === false && v.cafile !== false) {
    rc.warnings.push('[resilient] stomp_cafile = false: the STOMP certificate of SOAR is NOT verified; anyone on the path can read the API key.');
  }
  const workers = v.num_workers ?? 25;
  return {
    enabled,
    host: v.stomp_host ?? v.host?.hostname.replace(/^\[|\]$/g, '') ?? '',
    port: v.stomp_port ?? 65001,
    cafile,
    timeoutMs: (v.stomp_timeout ?? 60) * 1000,
    prefetch: v.stomp_prefetch_limit ?? workers,
    workers,
  };
}

function baseUrl(r: Resilient, rc: ReadContext): string {
  const host = r.values.host;
  if (!host) return '';
  const keyPort = r.values.port;
  if (host.port !== undefined && keyPort !== undefined && host.port !== keyPort) {
    rc.problems.push({
      key: 'resilient.port',
      value: String(keyPort),
      expected: `the port of host (${host.port}) or no port key`,
      hint: 'keep the port in one place: in the host URL or in port',
    });
  }
  // IBM's default is 443 whatever the scheme; a host URL's own port wins over it.
  return `${host.scheme}://${host.hostname}:${host.port ?? keyPort ?? 443}`;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

function readAuth(r: Resilient, rc: ReadContext): SoarConfig['auth'] {
  const v = r.values;
  const written = (k: PairKey): boolean => r.present.has(k) || r.failed.has(k);
  const hasKey = written('api_key_id') || written('api_key_secret');
  const hasUser = written('email') || written('password');
  if (hasKey) {
    requirePair(r, rc, 'api_key_id', 'api_key_secret');
    if (hasUser) rc.warnings.push('[resilient] has both an API key and email/password: the API key is used.');
    return { kind: 'apikey', id: v.api_key_id ?? '', secret: v.api_key_secret ?? '' };
  }
  if (hasUser) {
    requirePair(r, rc, 'email', 'password');
    return { kind: 'password', email: v.email ?? '', password: v.password ?? '' };
  }
  rc.problems.push({
    key: 'resilient.api_key_id',
    expected: 'api_key_id and api_key_secret (or email and password)',
    hint: 'add the API key of the integration\'s SOAR account: api_key_id = <id> and api_key_secret = $API_KEY_SECRET',
  });
  return { kind: 'apikey', id: '', secret: '' };
}

type PairKey = 'api_key_id' | 'api_key_secret' | 'email' | 'password';

function requirePair(r: Resilient, rc: ReadContext, a: PairKey, b: PairKey): void {
  const [set, missing] = r.present.has(a) ? [a, b] : [b, a];
  if (r.present.has(missing) || r.failed.has(missing)) return;
  rc.problems.push({ key: `resilient.${missing}`, expected: `a value, because ${set} is set`, hint: `set both ${a} and ${b}` });
}

/** `proxy_host`/`proxy_port`/`proxy_user`/`proxy_password` → one URL, as IBM's client builds it. */
function readProxy(r: Resilient, rc: ReadContext): ProxySettings | undefined {
  const v = r.values;
  const host = v.proxy_host;
  if (!host) {
    for (const part of ['proxy_port', 'proxy_user', 'proxy_password'] as const) {
      if (r.present.has(part) && !r.failed.has('proxy_host')) {
        rc.problems.push({ key: 'resilient.proxy_host', expected: `a proxy host, because ${part} is set`, hint: `set proxy_host or remove ${part}` });
        break;
      }
    }
    return undefined;
  }
  if (v.proxy_password !== undefined && v.proxy_user === undefined) {
    rc.problems.push({
      key: 'resilient.proxy_user',
      expected: 'a user name, because proxy_password is set',
      hint: 'set proxy_user or remove proxy_password',
    });
  }
  let credentials = '';
  if (v.proxy_user !== undefined) {
    const user = encodeURIComponent(v.proxy_user);
    const password = v.proxy_password === undefined ? '' : `:${encodeURIComponent(v.proxy_password)}`;
    credentials = `${user}${password}@`;
    // The encoded form is what appears in the URL, and so in anything that logs it.
    if (v.proxy_password !== undefined) for (const s of [password.slice(1), `${user}${password}`]) rc.secrets.add(s);
  }
  const port = v.proxy_port === undefined ? '' : `:${v.proxy_port}`;
  return { url: `${host.scheme}://${credentials}${host.host}${port}`, source: '[resilient] proxy_host' };
}
