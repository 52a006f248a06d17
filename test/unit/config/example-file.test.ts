import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderExampleConfig } from '../../../src/config/example-file.js';
import { SECTIONS } from '../../../src/config/keys.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { parseIni } from '../../../src/config/ini.js';
import { sandbox } from './config-fixture.js';

const EXAMPLE = fileURLToPath(new URL('../../../app.config.example', import.meta.url));

describe('app.config.example', () => {
  it('is what the key tables render (regenerate: UPDATE_EXAMPLE_CONFIG=1 npx vitest run test/unit/config/example-file.test.ts)', () => {
    const rendered = renderExampleConfig();
    if (process.env.UPDATE_EXAMPLE_CONFIG) writeFileSync(EXAMPLE, rendered);
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(rendered);
  });

  it('documents every key of every section, with its default and an example', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    for (const section of SECTIONS) {
      const body = text.slice(text.indexOf(`[${section.name}]`));
      for (const name of Object.keys(section.keys)) {
        expect(body, name).toMatch(new RegExp(`^#?${name} = `, 'm'));
      }
    }
    expect(text.replace(/\n# /g, ' ').match(/Default: /g)).toHaveLength(SECTIONS.reduce((n, s) => n + Object.keys(s.keys).length, 0));
  });

  it('loads as it is, pointing at the local emulators, without problems or warnings', () => {
    const box = sandbox();
    const config = loadConfig({ path: EXAMPLE, env: {}, secretsDir: box.secretsDir, cwd: box.dir, templatesDir: box.templatesDir });
    expect(config.warnings).toEqual([]);
    expect(config.soar).toMatchObject({ baseUrl: 'http://127.0.0.1:443', org: 'Demo Org', auth: { kind: 'apikey', id: 'demo-key', secret: 'demo-secret' } });
    expect(config.aws.masterRegion).toBe('us-east-1');
  });

  it('turns into a valid file when every commented key is uncommented with its example', () => {
    const box = sandbox();
    for (const file of ['close-incident.json.njk', 'create-incident.json.njk', 'update-incident.json.njk', 'soar-ca.pem']) box.write(file, '{}');
    const uncommented = readFileSync(EXAMPLE, 'utf8')
      .replace(/^#(\w+ = .*)$/gm, '$1')
      .replace(/\/etc\/rescircuits\/(templates\/)?/g, `${box.dir}/`)
      // Alternatives to keys that are set as well: the API key, and the role per account.
      .replace(/^(email|password|aws_gd_role_arn) = .*$/gm, '')
      .replace(/\$(\w+)/g, 'literal-$1');
    const doc = parseIni(uncommented);
    expect(doc.problems).toEqual([]);
    const config = loadConfig({ path: box.write('app.config', uncommented), env: {}, secretsDir: box.secretsDir, cwd: box.dir, templatesDir: box.templatesDir });
    expect(config.warnings).toEqual([]);
    expect(config.polling.extraCriteria).toEqual({ 'resource.resourceType': { Equals: ['Instance', 'S3Bucket'] } });
    expect(config.aws.roleArns).toHaveLength(2);
  });
});
