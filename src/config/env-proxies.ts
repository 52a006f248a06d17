import type { AppConfig } from './app-config.js';
import { urlSecrets, withDefaultScheme } from './net-parsers.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `http_proxy`/`https_proxy` from the environment (lower case first, as curl and Python requests
 * read them), for a destination scheme. App Host and most container platforms hand their egress
 * proxy to a pod this way; neither the AWS SDK nor our axios instance would look at them.
 */
export function environmentProxy(env: Env, scheme: 'http' | 'https'): string | undefined {
  return environmentProxySetting(env, scheme)?.url;
}

/** The same, with the name of the variable it came from. */
function environmentProxySetting(env: Env, scheme: 'http' | 'https'): { url: string; source: string } | undefined {
  const names = scheme === 'https' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const name = names.find((n) => env[n] !== undefined);
  const value = name === undefined ? undefined : env[name]?.trim();
  if (!name || !value) return undefined;
  return { url: withDefaultScheme(value, 'http'), source: `the environment's ${name}` };
}

/**
 * The configuration with the environment's proxies filled in where app.config names none: the
 * app.config keys always win (an operator wrote them for this app). The credentials of an
 * environment proxy join the secrets the logger scrubs.
 */
export function withEnvironmentProxies(config: AppConfig, env: Env): AppConfig {
  const http = environmentProxy(env, 'http');
  const https = environmentProxy(env, 'https');
  if (!http && !https) return config;
  const soarScheme = environmentProxySetting(env, config.soar.baseUrl.toLowerCase().startsWith('https:') ? 'https' : 'http');
  const secrets = new Set(config.secrets);
  for (const url of [http, https]) if (url) for (const s of urlSecrets(url)) secrets.add(s);
  return {
    ...config,
    aws: { ...config.aws, httpProxy: config.aws.httpProxy ?? http, httpsProxy: config.aws.httpsProxy ?? https },
    soar: { ...config.soar, proxy: config.soar.proxy ?? soarScheme },
    secrets: [...secrets],
  };
}
