import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FN_KEYS } from '../../../src/config/keys.js';
import { createLogger } from '../../../src/logging/logger.js';
import { configError, configText, load, sandbox } from './config-fixture.js';

// Every secret of the file below, in every form it may take (as written, URL-encoded, resolved).
const SECRETS = ['Sup3r-Secret-Key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'pr0xy:pa/ss', 'pr0xy%3Apa%2Fss', 'Aws-Proxy-Pw', 'file-secret-org', 'Soar-Pw-42'];

function secretConfigText(): string {
  return configText({
    resilient: { org: '${ORG_NAME}', email: 'me@example.com', password: 'Soar-Pw-42', proxy_host: 'proxy.corp', proxy_user: 'svc', proxy_password: 'pr0xy:pa/ss' },
    integrations: { https_proxy: 'http://svc:Aws-Proxy-Pw@proxy.corp:3128' },
    fn: { aws_gd_access_key_id: 'AKIAIOSFODNN7EXAMPLE', aws_gd_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
}

function loadWithSecrets() {
  const box = sandbox();
  writeFileSync(join(box.secretsDir, 'ORG_NAME'), 'file-secret-org\n');
  return load(box, secretConfigText());
}

describe('redaction', () => {
  it('collects every secret value, in each form it may be logged', () => {
    expect(loadWithSecrets().secrets).toEqual(expect.arrayContaining([...SECRETS, 'svc:Aws-Proxy-Pw', 'svc:pr0xy%3Apa%2Fss']));
  });

  it('lists every known key in the redacted configuration, secrets blanked, references as written', () => {
    const config = loadWithSecrets();
    const json = JSON.stringify(config.redacted);
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    expect(config.redacted.resilient).toMatchObject({ api_key_secret: '***', password: '***', proxy_password: '***', org: '${ORG_NAME}', port: '443', timeout: '60' });
    expect(config.redacted.integrations).toMatchObject({ https_proxy: 'http://svc:***@proxy.corp:3128', timeout: '30' });
    expect(config.redacted.fn_aws_guardduty).toMatchObject({
      aws_gd_secret_access_key: '***',
      aws_gd_access_key_id: 'AKIAIOSFODNN7EXAMPLE',
      aws_gd_polling_interval: '10',
      aws_gd_role_session_name: 'guardduty-soar-host-1',
      aws_gd_health_port: 'off',
      aws_gd_log_level: 'info',
      timeout: '30',
    });
    expect(Object.keys(config.redacted.fn_aws_guardduty ?? {})).toHaveLength(Object.keys(FN_KEYS).length);
  });

  it('never shows a secret in a ConfigError', () => {
    const text = configText({
      resilient: { api_key_secret: 'Sup3r-Secret-Key', proxy_password: 'pr0xy:pa/ss', proxy_user: 'svc' },
      integrations: { https_proxy: 'socks5://svc:Aws-Proxy-Pw@proxy.corp:1080' },
      fn: { aws_gd_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      extra: '[resilient]\napi_key_secret = Sup3r-Secret-Key\n',
    });
    const error = configError(sandbox(), text);
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    for (const secret of SECRETS) expect(error.message).not.toContain(secret);
    expect(error.message).toContain('socks5://svc:***@proxy.corp:1080');
  });

  it('keeps every secret out of the logs, even when the whole configuration is logged', () => {
    const config = loadWithSecrets();
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const logger = createLogger({ stream, secrets: config.secrets, format: 'json', level: 'debug' });
    logger.info('effective configuration', { config: config.redacted, warnings: config.warnings });
    logger.debug('careless', { soar: config.soar, aws: config.aws });
    logger.warn(`proxy ${config.soar.proxy?.url ?? ''} and key ${config.aws.secretAccessKey ?? ''}`);
    const output = chunks.join('');
    expect(output).toContain('effective configuration');
    expect(output).toContain('careless');
    expect(output).toContain('proxy https://***@proxy.corp and key ***');
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });
});
