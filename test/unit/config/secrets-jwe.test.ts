import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompactEncrypt, exportJWK, generateSecret, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwkPath, resolveSecrets } from '../../../src/config/secrets.js';
import { sandbox } from './config-fixture.js';

/**
 * App Host's secrets as it stores them: /etc/secrets/NAME holds a compact JWE token, encrypted with
 * the AES key in /etc/secrets/.jwk/key.jwk. Real tokens, made with jose.
 */

type SecretKey = Awaited<ReturnType<typeof generateSecret>>;

async function appHostKey(alg: 'A256GCM' | 'A256KW' = 'A256GCM'): Promise<{ key: SecretKey; jwk: JWK }> {
  const key = await generateSecret(alg, { extractable: true });
  return { key, jwk: await exportJWK(key) };
}

async function encrypt(plain: string, key: SecretKey, alg: 'dir' | 'A256KW' = 'dir'): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plain)).setProtectedHeader({ alg, enc: 'A256GCM' }).encrypt(key);
}

/** A secrets folder laid out as App Host mounts it. */
function secretsFolder(jwk: JWK | string | undefined, secrets: Record<string, string>): string {
  const box = sandbox();
  if (jwk !== undefined) {
    mkdirSync(join(box.secretsDir, '.jwk'), { recursive: true });
    writeFileSync(jwkPath(box.secretsDir), typeof jwk === 'string' ? jwk : JSON.stringify(jwk));
  }
  for (const [name, content] of Object.entries(secrets)) writeFileSync(join(box.secretsDir, name), content);
  return box.secretsDir;
}

describe('App Host secrets (JWE)', () => {
  it('decrypts $NAME from the JWE token in the secrets folder with the App Host key', async () => {
    const { key, jwk } = await appHostKey();
    const dir = secretsFolder(jwk, { API_KEY_SECRET: `${await encrypt('s3cret-from-apphost', key)}\n` });
    const resolved = resolveSecrets('$API_KEY_SECRET', { env: { API_KEY_SECRET: 'from-env' }, secretsDir: dir });
    expect(resolved).toMatchObject({ value: 's3cret-from-apphost', secrets: ['s3cret-from-apphost'], referenced: true, problems: [] });
  });

  it('decrypts embedded references and key-wrapped tokens too', async () => {
    const { key, jwk } = await appHostKey('A256KW');
    const dir = secretsFolder(jwk, { PW: await encrypt('p@ss word', key, 'A256KW'), USER: await encrypt('bob', key, 'A256KW') });
    const resolved = resolveSecrets('http://${USER}:$PW@proxy:3128', { env: {}, secretsDir: dir });
    expect(resolved.value).toBe('http://bob:p@ss word@proxy:3128');
    expect(resolved.secrets).toEqual(['bob', 'p@ss word']);
  });

  it('takes a file that is not a JWE token as the plain value', async () => {
    const { jwk } = await appHostKey();
    const dir = secretsFolder(jwk, { API_KEY_SECRET: 'plain-value\n' });
    expect(resolveSecrets('$API_KEY_SECRET', { env: {}, secretsDir: dir }).value).toBe('plain-value');
  });

  it('falls back to the environment variable when the token cannot be decrypted', async () => {
    const { key } = await appHostKey();
    const { jwk: otherKey } = await appHostKey();
    const dir = secretsFolder(otherKey, { API_KEY_SECRET: await encrypt('never-seen', key) });
    const resolved = resolveSecrets('$API_KEY_SECRET', { env: { API_KEY_SECRET: 'from-env' }, secretsDir: dir });
    expect(resolved).toMatchObject({ value: 'from-env', problems: [] });
  });

  it('with a wrong key and no variable, says which sources failed and why, without the secret', async () => {
    const { key } = await appHostKey();
    const { jwk: otherKey } = await appHostKey();
    const dir = secretsFolder(otherKey, { API_KEY_SECRET: await encrypt('never-seen', key) });
    const [problem, ...more] = resolveSecrets('$API_KEY_SECRET', { env: {}, secretsDir: dir }).problems;
    expect(more).toEqual([]);
    expect(problem?.expected).toMatch(/^the secret API_KEY_SECRET \(the file .*API_KEY_SECRET holds an App Host \(JWE\) secret that was not decrypted: decryption with .*key\.jwk failed \(ERR_JWE_DECRYPTION_FAILED: .*\); no environment variable API_KEY_SECRET\)$/);
    expect(JSON.stringify(problem)).not.toContain('never-seen');
  });

  it('names a key file that is missing, not JSON, or not a JWK', async () => {
    const { key } = await appHostKey();
    const token = await encrypt('x', key);
    const cases: [JWK | string | undefined, RegExp][] = [
      [undefined, /its key .*key\.jwk is not readable \(ENOENT\)/],
      ['not json', /its key .*key\.jwk is not JSON \(a JWK is expected\)/],
      ['{"k": "abc"}', /its key .*key\.jwk is not a JWK \(no "kty"\)/],
    ];
    for (const [jwk, message] of cases) {
      const dir = secretsFolder(jwk, { API_KEY_SECRET: token });
      expect(resolveSecrets('$API_KEY_SECRET', { env: {}, secretsDir: dir }).problems[0]?.expected).toMatch(message);
    }
  });

  // Root reads any file, so the case cannot be made as root.
  it.skipIf(process.getuid?.() === 0)('names an unreadable secret file', async () => {
    const { jwk } = await appHostKey();
    const dir = secretsFolder(jwk, { API_KEY_SECRET: 'value' });
    chmodSync(join(dir, 'API_KEY_SECRET'), 0o000);
    expect(resolveSecrets('$API_KEY_SECRET', { env: {}, secretsDir: dir }).problems[0]?.expected).toMatch(/the file .*API_KEY_SECRET is not readable \(EACCES\); no environment variable/);
  });
});
