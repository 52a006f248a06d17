import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * IBM's protected secrets in `app.config` values: `$NAME` or `${NAME}`, anywhere in a value, is the
 * content of `<secretsDir>/NAME` (App Host mounts `/etc/secrets`) if that file exists, else the
 * environment variable `NAME`.
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

function lookUp(name: string, sources: SecretSources): string | SecretProblem {
  const path = join(sources.secretsDir, name);
  if (isFile(path)) return readSecretFile(name, path);
  const fromEnv = sources.env[name];
  if (fromEnv !== undefined) return fromEnv;
  return {
    expected: `the secret ${name} (a file ${path} or an environment variable ${name})`,
    hint:
      `create ${path} holding the value, or set the environment variable ${name}; ` +
      'a value that really contains "$" followed by letters must itself come from a secret',
  };
}

function readSecretFile(name: string, path: string): string | SecretProblem {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (err) {
    return {
      expected: `a readable secret file ${path}`,
      hint: `make ${path} readable by this process (${(err as NodeJS.ErrnoException).code ?? 'read failed'})`,
    };
  }
  const value = content.replace(/[\r\n]+$/, '');
  if (looksLikeJwe(value)) {
    return {
      expected: `the plain value of ${name} in ${path}`,
      hint:
        `${path} holds an encrypted App Host secret (JWE), which guardduty-soar does not decrypt; ` +
        `mount the plain value there or set the environment variable ${name} instead`,
    };
  }
  return value;
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
