import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fail, ok, type Parser } from './parsers.js';

/** Parsers for file paths; relative paths are resolved against the working directory. */

export const anyPath: Parser<string> = (raw, ctx) => ok(resolve(ctx.cwd, raw));

/** A file that exists and this process can read (templates, CA bundles). */
export const readableFile: Parser<string> = (raw, ctx) => {
  const path = resolve(ctx.cwd, raw);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return fail('the path of an existing file', `no file at ${path}; check the path (relative paths start at ${ctx.cwd})`);
  }
  if (!isFile) return fail('the path of a file', `${path} is not a regular file`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return fail('a file this process can read', `give the daemon's user read permission on ${path}`);
  }
  return ok(path);
};

/** `[resilient] cafile`: a CA bundle, or `false` (any case) to turn TLS verification off. */
export const cafile: Parser<string | false> = (raw, ctx) => {
  if (raw.toLowerCase() === 'false') return ok(false);
  const file = readableFile(raw, ctx);
  if (file.ok) return file;
  return fail('the path of a readable PEM CA bundle, or false', file.hint);
};
