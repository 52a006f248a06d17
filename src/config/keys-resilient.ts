import { key, type KeyTable } from './key-spec.js';
import { cafile } from './path-parsers.js';
import { maskUrlPassword, port, proxyHost, proxyUrl, soarHost, urlSecrets } from './net-parsers.js';
import { fail, numberIn, ok, text, type Parser } from './parsers.js';

/** Python logging level names (resilient-circuits' `loglevel`) → ours. */
const PYTHON_LEVELS: Record<string, 'error' | 'warn' | 'info' | 'debug'> = {
  critical: 'error', error: 'error', warning: 'warn', warn: 'warn', info: 'info', debug: 'debug', notset: 'debug',
};

const pythonLogLevel: Parser<'error' | 'warn' | 'info' | 'debug'> = (raw) => {
  const level = PYTHON_LEVELS[raw.toLowerCase()];
  return level ? ok(level) : fail('DEBUG, INFO, WARNING, ERROR or CRITICAL');
};

const seconds = numberIn({ min: 1, unit: 'seconds' });

/** `stomp_host`: a bare host name or IP address (STOMP has no URL form; the port is stomp_port). */
const hostName: Parser<string> = (raw) => {
  const bare = raw.replace(/^\[|\]$/g, '');
  return /^[\w.-]+$|^[\da-f:.]+$/i.test(bare) ? ok(bare) : fail('a host name or IP address', 'e.g. soar.example.com, without a scheme or port');
};

/** `[resilient]`: the SOAR connection, as resilient-circuits reads it. */
export const RESILIENT_KEYS = {
  host: key({
    doc: 'SOAR host: a name, or a URL whose scheme is honoured (http:// reaches the local emulator over plain HTTP).',
    example: 'soar.example.com',
    sample: 'http://127.0.0.1',
    required: true,
    parse: soarHost,
  }),
  port: key({
    doc: 'SOAR port.',
    example: '443',
    defaultDoc: '443, or the port of a host URL',
    parse: port,
  }),
  org: key({ doc: 'SOAR organisation: name, uuid or cloud account.', example: 'Example Org', sample: 'Demo Org', required: true, parse: text }),
  api_key_id: key({
    doc: 'API key id (preferred login). App Host fills it in.',
    example: '3ab8f2c1-7d4e-4b1a-9c6f-2e5d8a7b9c0d',
    sample: 'demo-key',
    parse: text,
  }),
  api_key_secret: key({
    doc: 'API key secret; write $NAME or ${NAME} to read /etc/secrets/NAME or the environment variable NAME.',
    example: '$API_KEY_SECRET',
    sample: 'demo-secret',
    secret: true,
    parse: text,
  }),
  email: key({ doc: 'User login, when no API key is set (deprecated by IBM).', example: 'soar-integration@example.com', parse: text }),
  password: key({ doc: 'Password of that user.', example: '$SOAR_PASSWORD', secret: true, parse: text }),
  cafile: key({
    doc: 'PEM bundle of the CA that signed SOAR\'s certificate, or false to turn TLS verification off (insecure).',
    example: '/etc/rescircuits/soar-ca.pem',
    defaultDoc: 'the system CAs',
    parse: cafile,
  }),
  timeout: key({ doc: 'Seconds to wait for one SOAR request.', example: '30', default: '60', parse: seconds }),
  proxy_host: key({ doc: 'Proxy for SOAR calls (scheme https unless written).', example: 'proxy.example.com', parse: proxyHost }),
  proxy_port: key({ doc: 'Port of that proxy.', example: '3128', parse: port }),
  proxy_user: key({ doc: 'Proxy user name.', example: 'svc-soar', parse: text }),
  proxy_password: key({ doc: 'Proxy password.', example: '$PROXY_PASSWORD', secret: true, parse: text }),
  resource_prefix: key({ doc: 'Path prefix of the REST API (Cloud Pak for Security: /api/respond).', example: '/api/respond', parse: text }),
  loglevel: key({
    doc: 'resilient-circuits log level; used when [fn_aws_guardduty] aws_gd_log_level is not set.',
    example: 'INFO',
    parse: pythonLogLevel,
  }),
  stomp_host: key({
    doc: 'Host of SOAR\'s STOMP endpoint (the message destination fn_aws_gd; Cloud Pak for Security: its STOMP URL\'s host).',
    example: 'soar.example.com',
    defaultDoc: 'the name in host',
    parse: hostName,
  }),
  stomp_port: key({ doc: 'STOMP port (always TLS; Cloud Pak for Security: 443).', example: '65001', default: '65001', parse: port }),
  stomp_cafile: key({
    doc: 'PEM bundle of the CA that signed the STOMP certificate, or false to turn verification off (insecure).',
    example: '/etc/rescircuits/soar-ca.pem',
    defaultDoc: 'cafile',
    parse: cafile,
  }),
  stomp_timeout: key({ doc: 'Seconds to wait for the STOMP connection and login.', example: '30', default: '60', parse: seconds }),
  stomp_prefetch_limit: key({
    doc: 'Invocations the broker may hand over before they are ACKed (activemq.prefetchSize).',
    example: '50',
    defaultDoc: 'num_workers',
    parse: numberIn({ integer: true, min: 1, max: 10_000 }),
  }),
  num_workers: key({
    doc: 'Most SOAR functions running at once (1-2000).',
    example: '50',
    default: '25',
    parse: numberIn({ integer: true, min: 1, max: 2000 }),
  }),
} satisfies KeyTable;

/** Other resilient-circuits keys an IBM file carries: accepted without a warning, not used. */
export const TOLERATED_RESILIENT_KEYS: readonly string[] = [
  'logdir', 'logfile', 'log_max_bytes', 'log_backup_count', 'componentsdir', 'noload',
  'selftest_timeout', 'trap_exception', 'heartbeat_timeout_threshold', 'rc_use_persistent_sessions', 'cache_ttl',
  'max_connection_retries', 'request_max_retries', 'request_retry_delay', 'request_retry_backoff',
  'client_auth_cert', 'client_auth_key', 'log_http_responses', 'resilient_mock', 'pam_type', 'no_prompt_password',
];
export const TOLERATED_RESILIENT_PREFIXES: readonly string[] = ['stomp_', 'pam_'];

const awsProxy = (scheme: string) =>
  key({
    doc: `Proxy for ${scheme}:// AWS endpoints.`,
    example: 'http://proxy.example.com:3128',
    mask: maskUrlPassword,
    secretParts: urlSecrets,
    parse: proxyUrl,
  });

/** `[integrations]`: settings IBM apps share for third-party (here: AWS) calls. */
export const INTEGRATIONS_KEYS = {
  http_proxy: awsProxy('http'),
  https_proxy: awsProxy('https'),
  timeout: key({ doc: 'Seconds to wait for one AWS request.', example: '30', default: '30', parse: seconds }),
} satisfies KeyTable;
