import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeStorageError, isStorageError } from '../../../src/app/storage-error.js';
import { Store } from '../../../src/store/store.js';

/**
 * Every unusable aws_gd_db_path is told as one sentence with its cause and the fix. The paths are made
 * for real in a temp folder and opened as the daemon opens them; a read-only or full file system
 * cannot be made without privileges, so those go through the describer with the error Node gives.
 */

let dir = '';
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function temp(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-db-path-'));
  return dir;
}

/** What the daemon prints when it opens the database at `dbPath`. */
function openError(dbPath: string): { code: unknown; sentence: string } {
  try {
    Store.open(dbPath, () => 0).close();
  } catch (err) {
    expect(isStorageError(err), String(err)).toBe(true);
    return { code: (err as { code?: unknown }).code, sentence: describeStorageError(dbPath, err) };
  }
  throw new Error(`${dbPath} opened`);
}

const errno = (code: string, syscall = 'open'): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${syscall} failed`), { code, syscall });

describe('an aws_gd_db_path the daemon cannot use', () => {
  it('whose folder is a file: names that file', () => {
    const file = path.join(temp(), 'state');
    fs.writeFileSync(file, '');
    const direct = openError(path.join(file, 'guardduty-soar.db'));
    expect(direct.sentence).toBe(
      `Cannot open the state database ${path.join(file, 'guardduty-soar.db')}: ${file} is a file, not a folder (${String(direct.code)}). ` +
        `Point aws_gd_db_path at a file in a folder, or move ${file} out of the way.`,
    );
    // Deeper below the file, the error is ENOTDIR; the sentence names the same file.
    const deeper = openError(path.join(file, 'sub', 'guardduty-soar.db'));
    expect(deeper.code).toBe('ENOTDIR');
    expect(deeper.sentence).toContain(`: ${file} is a file, not a folder (ENOTDIR). `);
  });

  it('that is a folder: says to name the file inside it', () => {
    const folder = temp();
    expect(openError(folder).sentence).toBe(
      `Cannot open the state database ${folder}: it is a folder (SQLITE_CANTOPEN); aws_gd_db_path names the database file itself. ` +
        `Set it to a file in that folder, e.g. ${path.join(folder, 'guardduty-soar.db')}.`,
    );
  });

  it('with a name too long for the file system, as the file or as a folder', () => {
    const long = 'x'.repeat(300);
    for (const dbPath of [path.join(temp(), `${long}.db`), path.join(dir, long, 'state.db')]) {
      const { sentence } = openError(dbPath);
      expect(sentence).toMatch(/: the path is too long \((SQLITE_CANTOPEN|ENAMETOOLONG)\); a file system takes at most 255 bytes per name and 4095 for the whole path\. Choose a shorter aws_gd_db_path\.$/);
    }
  });

  it('through a symbolic link that leads back to itself: names the link', () => {
    const loop = path.join(temp(), 'loop-a');
    fs.symlinkSync(path.join(dir, 'loop-b'), loop);
    fs.symlinkSync(loop, path.join(dir, 'loop-b'));
    for (const dbPath of [path.join(loop, 'state.db'), loop]) {
      const { sentence } = openError(dbPath);
      expect(sentence).toMatch(new RegExp(`^Cannot open the state database ${dbPath}: ${loop} is a symbolic link that leads back to itself \\((ELOOP|SQLITE_CANTOPEN)\\)\\. Fix or remove the link, or point aws_gd_db_path elsewhere\\.$`));
    }
  });

  it('holding a file that is not a SQLite database: never overwritten, the fix named', () => {
    const file = path.join(temp(), 'notes.db');
    fs.writeFileSync(file, 'These are my notes, not a database. '.repeat(200));
    expect(openError(file).sentence).toBe(
      `Cannot open the state database ${file}: the file there is not a SQLite database (SQLITE_NOTADB). ` +
        'Point aws_gd_db_path at a new file name, or move that file away; guardduty-soar never overwrites it.',
    );
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^These are my notes/);
  });

  it('on a read-only file system (EROFS, or SQLite\'s SQLITE_READONLY)', () => {
    const dbPath = path.join(temp(), 'state', 'guardduty-soar.db');
    for (const err of [errno('EROFS', 'mkdir'), Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' })]) {
      expect(isStorageError(err)).toBe(true);
      expect(describeStorageError(dbPath, err)).toBe(
        `Cannot open the state database ${dbPath}: the file system holding ${path.dirname(dbPath)} is read-only (${String(err.code)}), ` +
          "e.g. a read-only mount or a container's read-only root file system. Mount a writable volume there (in the container image: " +
          '/var/lib/guardduty-soar), or point aws_gd_db_path at one.',
      );
    }
  });

  it('on a full disk (ENOSPC, EDQUOT, or SQLite\'s SQLITE_FULL)', () => {
    const dbPath = path.join(temp(), 'guardduty-soar.db');
    for (const err of [errno('ENOSPC', 'write'), errno('EDQUOT', 'write'), Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })]) {
      expect(isStorageError(err)).toBe(true);
      expect(describeStorageError(dbPath, err)).toBe(
        `Cannot open the state database ${dbPath}: the disk holding ${dir} is full, or the user's quota is used up (${String(err.code)}). ` +
          'Free space there, or point aws_gd_db_path at a volume with room.',
      );
    }
  });

  it('that the daemon\'s user may not write keeps its sentence: the user, the folder, the container volume', () => {
    const dbPath = path.join(temp(), 'guardduty-soar.db');
    const sentence = describeStorageError(dbPath, errno('EACCES', 'mkdir'));
    expect(sentence).toContain(`Cannot open the state database ${dbPath}: EACCES: mkdir failed. The daemon's user`);
    expect(sentence).toContain(`must be able to create and write files in ${dir}; in the container image that is the volume /var/lib/guardduty-soar`);
  });

  it('is told apart from other errors, which stay bugs', () => {
    expect(isStorageError(new Error('boom'))).toBe(false);
    expect(isStorageError(errno('ECONNREFUSED'))).toBe(false);
  });
});
