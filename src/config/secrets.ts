import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decryptJweSync } from './jwe-decrypt.js';

/**
 * IBM's protected secrets in `app.config` values: `$NAME` or `${NAME}`, anywhere in a value, is the
 * content of `<secretsDir>/NAME` (App Host mounts `/etc/secrets`): a JWE token there is decrypted
 * with App Host's key `<secretsDir>/.jwk/key.jwk`; without a usable file, the environment variable `NAME`.
 */

export const DEFAULT_SECRETS_DIR = '/etc/secrets';

export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  secretsDir: string;
}

export interface SecretProblem {
  expected: string;
  hint: string;
}

export interface ResolvedValue {
  value: string;
  /** The values the references resolved to: secrets by definition, scrubbed from every log. */
  secrets: string[];
  /** True when the value contained at least one reference. */
  referenced: boolean;
  problems: SecretProblem[];
}

// `$$` is matched first so that it stays literal and does not start a reference (`pa$$word`).
// Names are identifiers, which also keeps a reference from escaping the secrets folder.
const REFERENCE = /\$\$|\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g;

export function resolveSecrets(raw: string, sources: SecretSources): ResolvedValue {
  const result: ResolvedValue = { value: raw, secrets: [], referenced: false, problems: [] };
  result.value = raw.replace(REFERENCE, (whole: string, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (name === undefined) return whole;
    result.referenced = true;
    const found = lookUp(name, sources);
    if (typeof found === 'string') {
      result.secrets.push(found);
      return found;
    }
    result.problems.push(found);
    return whole;
  });
  return result;
}

/**
 * App Host's order (CO3 app_config): the file `<secretsDir>/NAME`, decrypted when it holds a JWE
 * token, else taken as the plain value; then the environment variable `NAME`. Every source that
 * was tried and failed is named in the problem, with why; never the secret.
 */
function lookUp(name: string, sources: SecretSources): string | SecretProblem {
  const path = join(sources.secretsDir, name);
  const failures: string[] = [];
  if (isFile(path)) {
    const fromFile = readSecretFile(path, sources.secretsDir);
    if (fromFile.ok) return fromFile.value;
    failures.push(fromFile.error);
  } else {
    failures.push(`no file ${path}`);
  }
  const fromEnv = sources.env[name];
  if (fromEnv !== undefined) return fromEnv;
  failures.push(`no environment variable ${name}`);
  return {
    expected: `the secret ${name} (${failures.join('; ')})`,
    hint:
      `create ${path} holding the value (on App Host: the app secret ${name}), or set the environment variable ${name}; ` +
      'a value that really contains "$" followed by letters must itself come from a secret',
  };
}

/** The key App Host encrypts its secret files with, beside them. */
export function jwkPath(secretsDir: string): string {
  return join(secretsDir, '.jwk', 'key.jwk');
}

type Attempt = { ok: true; value: string } | { ok: false; error: string };

function readSecretFile(path: string, secretsDir: string): Attempt {
  const read = readText(path);
  if (!read.ok) return { ok: false, error: `the file ${path} is not readable (${read.error})` };
  const firstLine = read.value.split(/\r?\n/, 1)[0] ?? '';
  if (!looksLikeJwe(firstLine)) return { ok: true, value: read.value.replace(/[\r\n]+$/, '') };
  const decrypted = decryptWithAppHostKey(firstLine, secretsDir);
  return decrypted.ok ? decrypted : { ok: false, error: `the file ${path} holds an App Host (JWE) secret that was not decrypted: ${decrypted.error}` };
}

function decryptWithAppHostKey(token: string, secretsDir: string): Attempt {
  const keyPath = jwkPath(secretsDir);
  const read = readText(keyPath);
  if (!read.ok) return { ok: false, error: `its key ${keyPath} is not readable (${read.error})` };
  let jwk: unknown;
  try {
    jwk = JSON.parse(read.value);
  } catch {
    return { ok: false, error: `its key ${keyPath} is not JSON (a JWK is expected)` };
  }
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as { kty?: unknown }).kty !== 'string') {
    return { ok: false, error: `its key ${keyPath} is not a JWK (no "kty")` };
  }
  const result = decryptJweSync(token, jwk as Record<string, unknown>);
  return result.ok ? result : { ok: false, error: `decryption with ${keyPath} failed (${result.error})` };
}

function readText(path: string): Attempt {
  try {
    return { ok: true, value: readFileSync(path, 'utf8') };
  } catch (err) {
    return { ok: false, error: (err as NodeJS.ErrnoException).code ?? 'read failed' };
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A JWE compact token: five base64url parts, the first a JSON header naming its `enc`. */
export function looksLikeJwe(value: string): boolean {
  const parts = value.split('.');
  if (parts.length !== 5 || !parts.every((p) => /^[\w-]*$/.test(p)) || parts[0] === '') return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && 'enc' in header;
  } catch {
    return false;
  }
}
