import { fail, numberIn, ok, type Parser } from './parsers.js';

/** Parsers for hosts, ports and proxy URLs. */

export const port: Parser<number> = numberIn({ integer: true, min: 1, max: 65535 });

/** `aws_gd_health_port`: a port, or `off`/`0` for no health server. */
export const optionalPort: Parser<number | undefined> = (raw, ctx) => {
  if (raw.toLowerCase() === 'off' || raw === '0') return ok(undefined);
  const parsed = port(raw, ctx);
  return parsed.ok ? parsed : fail('a port from 1 to 65535, or off', 'e.g. 9102, or off to disable the health server');
};

export interface SoarHost {
  scheme: 'http' | 'https';
  /** IPv6 addresses keep their brackets, ready for a URL. */
  hostname: string;
  port: number | undefined;
}

/**
 * `[resilient] host`: a name (`soar.example.com`) or a URL whose scheme is honoured, so that
 * `http://127.0.0.1` reaches the local emulator over plain HTTP. The default scheme is https.
 */
export const soarHost: Parser<SoarHost> = (raw) => {
  const withScheme = withDefaultScheme(raw, 'https');
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail('a host name or an http(s) URL', 'e.g. soar.example.com or http://127.0.0.1');
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return fail('a host name or an http(s) URL', `the scheme ${scheme}: is not supported`);
  if (url.username || url.password || url.search || url.hash) {
    return fail('a host name or an http(s) URL without credentials or query', 'credentials belong in api_key_id/api_key_secret');
  }
  if (url.pathname !== '/') return fail('a host without a path', `put ${url.pathname} in resource_prefix instead`);
  // URL drops a port equal to the scheme's default (http://soar:80), but it was written: keep it.
  const written = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:?#]*):(\d+)/i.exec(withScheme)?.[1];
  return ok({ scheme, hostname: url.hostname, port: written === undefined ? undefined : Number(url.port || written) });
};

/**
 * A proxy URL for `http_proxy`/`https_proxy`. Like Python requests (which IBM's apps use), a value
 * without a scheme means an http proxy.
 */
export const proxyUrl: Parser<string> = (raw) => {
  const withScheme = withDefaultScheme(raw, 'http');
  const expected = 'a proxy URL such as http://proxy.example.com:3128';
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(expected, 'write scheme://[user:password@]host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(expected, `the scheme ${url.protocol} is not supported (http or https)`);
  if (url.hostname === '') return fail(expected, 'the proxy host is missing');
  return ok(withScheme);
};

/** `raw` as written when it names a scheme (`scheme://`), else with `scheme://` in front. */
export function withDefaultScheme(raw: string, scheme: 'http' | 'https'): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${scheme}://${raw}`;
}

/** The URL with its password replaced, for logs and problem reports. */
export function maskUrlPassword(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** The credential parts of a proxy URL (encoded and decoded), to be scrubbed from logs. */
export function urlSecrets(raw: string): string[] {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^:@/]*):([^@/]*)@/i.exec(raw);
  if (!match || match[2] === '') return [];
  const [, user, password] = match as unknown as [string, string, string];
  return [`${user}:${password}`, password, safeDecode(password)];
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface ProxyHost {
  scheme: 'http' | 'https';
  host: string;
}

/** `[resilient] proxy_host`: a host with an optional scheme; as IBM's client, https by default. */
export const proxyHost: Parser<ProxyHost> = (raw) => {
  const match = /^(?:(https?):\/\/)?([\w.-]+|\[[\da-f:.]+\])\/?$/i.exec(raw);
  if (!match) return fail('a proxy host name, optionally with http:// or https://', 'put the port in proxy_port, e.g. proxy_host = proxy.example.com');
  const scheme = (match[1]?.toLowerCase() ?? 'https') as 'http' | 'https';
  return ok({ scheme, host: match[2] });
};
