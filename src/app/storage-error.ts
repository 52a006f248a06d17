import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../core/errors.js';

/**
 * An `aws_gd_db_path` the daemon cannot use, told as one sentence with its cause and the fix instead
 * of a stack trace. The error alone is often vague: SQLite says "unable to open database file" for a
 * folder, a name too long and a symbolic-link loop alike, and Node's recursive mkdir says EEXIST when
 * a file stands where a folder should be. So the path itself is examined to name the cause.
 */

const STORAGE_CODES = new Set([
  'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EEXIST', 'EISDIR', 'ENAMETOOLONG', 'ELOOP',
  'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_READONLY_DIRECTORY', 'SQLITE_READONLY_CANTINIT', 'SQLITE_PERM',
  'SQLITE_FULL', 'SQLITE_NOTADB', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_IOERR_SHMOPEN',
]);

/** Linux's NAME_MAX (one name) and PATH_MAX less its terminating byte (the whole path). */
const NAME_MAX = 255;
const PATH_MAX = 4095;

type Cause =
  | { kind: 'file-in-the-way'; at: string }
  | { kind: 'folder' }
  | { kind: 'too-long' }
  | { kind: 'loop'; at: string }
  | { kind: 'read-only' }
  | { kind: 'full' }
  | { kind: 'not-a-database' }
  | { kind: 'permission' };

export function isStorageError(err: unknown): boolean {
  const code = codeOf(err);
  return code !== undefined && STORAGE_CODES.has(code);
}

/** The sentence for an error met opening the state database at `dbPath`. */
export function describeStorageError(dbPath: string, err: unknown): string {
  const code = codeOf(err) ?? 'unknown';
  const cause = causeOf(dbPath, code);
  const head = `Cannot open the state database ${dbPath}`;
  const folder = path.dirname(path.resolve(dbPath));
  switch (cause.kind) {
    case 'file-in-the-way':
      return `${head}: ${cause.at} is a file, not a folder (${code}). Point aws_gd_db_path at a file in a folder, or move ${cause.at} out of the way.`;
    case 'folder':
      return `${head}: it is a folder (${code}); aws_gd_db_path names the database file itself. Set it to a file in that folder, e.g. ${path.join(dbPath, 'guardduty-soar.db')}.`;
    case 'too-long':
      return `${head}: the path is too long (${code}); a file system takes at most ${NAME_MAX} bytes per name and ${PATH_MAX} for the whole path. Choose a shorter aws_gd_db_path.`;
    case 'loop':
      return `${head}: ${cause.at} is a symbolic link that leads back to itself (${code}). Fix or remove the link, or point aws_gd_db_path elsewhere.`;
    case 'read-only':
      return `${head}: the file system holding ${folder} is read-only (${code}), e.g. a read-only mount or a container's read-only root file system. ` +
        'Mount a writable volume there (in the container image: /var/lib/guardduty-soar), or point aws_gd_db_path at one.';
    case 'full':
      return `${head}: the disk holding ${folder} is full, or the user's quota is used up (${code}). Free space there, or point aws_gd_db_path at a volume with room.`;
    case 'not-a-database':
      return `${head}: the file there is not a SQLite database (${code}). Point aws_gd_db_path at a new file name, or move that file away; guardduty-soar never overwrites it.`;
    case 'permission': {
      // The usual cause in a container: the state volume is missing or not writable by the daemon's user.
      const uid = process.getuid?.();
      return `${head}: ${errorMessage(err)}. The daemon's user${uid === undefined ? '' : ` (uid ${uid})`} ` +
        `must be able to create and write files in ${path.dirname(dbPath)}; in the container image that is the volume ` +
        '/var/lib/guardduty-soar (mount it writable, or set aws_gd_db_path to a writable place).';
    }
  }
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** What the path itself shows first, then what the error code says. */
function causeOf(dbPath: string, code: string): Cause {
  const seen = inspectPath(dbPath);
  if (seen) return seen;
  if (code === 'ENAMETOOLONG') return { kind: 'too-long' };
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY')) return { kind: 'read-only' };
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return { kind: 'full' };
  if (code === 'SQLITE_NOTADB') return { kind: 'not-a-database' };
  return { kind: 'permission' };
}

/** A fault the file system shows on the way to `dbPath`: a file where a folder should be, a folder where the file should be, a loop, a name too long. */
function inspectPath(dbPath: string): Cause | undefined {
  const absolute = path.resolve(dbPath);
  const names = absolute.split(path.sep).filter(Boolean);
  if (Buffer.byteLength(absolute) > PATH_MAX || names.some((n) => Buffer.byteLength(n) > NAME_MAX)) return { kind: 'too-long' };
  let at = path.parse(absolute).root;
  for (const [i, name] of names.entries()) {
    at = path.join(at, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(at);
    } catch (err) {
      // Whatever does not exist yet is created on open; only a loop is a fault here.
      return codeOf(err) === 'ELOOP' ? { kind: 'loop', at } : undefined;
    }
    const last = i === names.length - 1;
    if (!last && !stat.isDirectory()) return { kind: 'file-in-the-way', at };
    if (last && stat.isDirectory()) return { kind: 'folder' };
  }
  return undefined;
}
