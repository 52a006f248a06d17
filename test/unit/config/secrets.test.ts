import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { looksLikeJwe, resolveSecrets } from '../../../src/config/secrets.js';
import { sandbox } from './config-fixture.js';

const JWE = [
  Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })).toString('base64url'),
  'OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe',
  '48V1_ALb6US04U3b',
  '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji',
  'XFBoMYUZodetZdvTiFvSkQ',
].join('.');

describe('resolveSecrets', () => {
  it('reads $NAME and ${NAME} from the secrets folder first, trimming the trailing newline', () => {
    const box = sandbox();
    writeFileSync(join(box.secretsDir, 'API_KEY_SECRET'), 'from-file\n');
    const sources = { env: { API_KEY_SECRET: 'from-env' }, secretsDir: box.secretsDir };
    expect(resolveSecrets('$API_KEY_SECRET', sources)).toMatchObject({ value: 'from-file', secrets: ['from-file'], referenced: true });
    expect(resolveSecrets('${API_KEY_SECRET}', sources).value).toBe('from-file');
  });

  it('falls back to the environment, also for references embedded in a value', () => {
    const box = sandbox();
    const sources = { env: { PROXY_PW: 'p@ss', USER: 'bob' }, secretsDir: box.secretsDir };
    const resolved = resolveSecrets('http://${USER}:$PROXY_PW@proxy:3128', sources);
    expect(resolved.value).toBe('http://bob:p@ss@proxy:3128');
    expect(resolved.secrets).toEqual(['bob', 'p@ss']);
  });

  it('keeps $$ and a $ not followed by a name literal', () => {
    const sources = { env: { word: 'nope' }, secretsDir: '/nonexistent' };
    expect(resolveSecrets('pa$$word', sources)).toMatchObject({ value: 'pa$$word', referenced: false, problems: [] });
    expect(resolveSecrets('^us-.*$', sources).value).toBe('^us-.*$');
    expect(resolveSecrets('cost: 5$ or ${', sources).value).toBe('cost: 5$ or ${');
  });

  it('reports an unresolvable reference, naming the file and the variable it looked for', () => {
    const resolved = resolveSecrets('$MISSING_ONE', { env: {}, secretsDir: '/run/none' });
    expect(resolved.problems).toEqual([
      { expected: 'the secret MISSING_ONE (no file /run/none/MISSING_ONE; no environment variable MISSING_ONE)', hint: expect.stringContaining('MISSING_ONE') },
    ]);
  });

  it('names the JWE file whose key is missing, and the variable that is not set either', () => {
    const box = sandbox();
    writeFileSync(join(box.secretsDir, 'API_KEY_SECRET'), `${JWE}\n`);
    const resolved = resolveSecrets('$API_KEY_SECRET', { env: {}, secretsDir: box.secretsDir });
    expect(resolved.problems[0]?.expected).toMatch(/API_KEY_SECRET holds an App Host \(JWE\) secret that was not decrypted: its key .*\.jwk\/key\.jwk is not readable \(ENOENT\); no environment variable API_KEY_SECRET/);
    expect(resolved.secrets).toEqual([]);
  });

  it('recognises JWE compact tokens only', () => {
    expect(looksLikeJwe(JWE)).toBe(true);
    expect(looksLikeJwe('a.b.c.d.e')).toBe(false);
    expect(looksLikeJwe('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig')).toBe(false);
  });
});
