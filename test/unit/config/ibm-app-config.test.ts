import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { sandbox } from './config-fixture.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/config/ibm-app.config', import.meta.url));

describe('an IBM customer\'s app.config for fn_aws_guardduty', () => {
  it('loads unchanged, with the App Host API key secret from /etc/secrets and no warnings', () => {
    const box = sandbox();
    writeFileSync(join(box.secretsDir, 'API_KEY_SECRET'), 'app-host-secret-value\n');
    const path = join(box.dir, 'app.config');
    copyFileSync(FIXTURE, path);
    const config = loadConfig({ path, env: {}, secretsDir: box.secretsDir, cwd: box.dir, templatesDir: box.templatesDir, hostname: 'c0ffee' });

    expect(config.warnings).toEqual([]);
    expect(config.soar).toMatchObject({
      baseUrl: 'https://soar.acme.example:443',
      org: 'ACME Security',
      auth: { kind: 'apikey', id: '7c1f2a9e-3b4d-4e8f-9a6b-5d2c1e0f8a7b', secret: 'app-host-secret-value' },
    });
    expect(config.aws).toMatchObject({
      accessKeyId: 'ABCD1EFGHI2JK3L4MN0P',
      secretAccessKey: 'aBcdeFGH/iJkl1MNo2P3Q4rs5tuV6wXYZAbc+Def',
      masterRegion: 'us-west-1',
      timeoutMs: 30_000,
    });
    // IBM strips the quotes and matches unanchored, case-insensitively: "^us.*" selects the US regions.
    expect(['us-east-1', 'us-gov-west-1', 'eu-west-1'].filter((r) => config.aws.regions.test(r))).toEqual(['us-east-1', 'us-gov-west-1']);
    expect(config.polling).toMatchObject({ regionsIntervalMinutes: 60, pollingIntervalMinutes: 15, severityThreshold: 7, lookbackMinutes: 60 });
    expect(config.templates.close).toBe(join(box.templatesDir, 'close-incident.json.njk'));
    expect(config.logLevel).toBe('info');
    expect(config.secrets).toEqual(expect.arrayContaining(['app-host-secret-value', 'aBcdeFGH/iJkl1MNo2P3Q4rs5tuV6wXYZAbc+Def']));
  });

  it('takes the secret from the environment outside App Host', () => {
    const box = sandbox();
    const config = loadConfig({ path: FIXTURE, env: { API_KEY_SECRET: 'env-secret-value' }, secretsDir: box.secretsDir, cwd: box.dir, templatesDir: box.templatesDir });
    expect(config.soar.auth).toMatchObject({ secret: 'env-secret-value' });
  });
});
