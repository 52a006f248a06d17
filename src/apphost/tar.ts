import { gzipSync } from 'node:zlib';

/**
 * A minimal tar writer (POSIX ustar: a 512-byte header per entry, the data padded to 512, two zero
 * blocks at the end), gzipped: enough for the `<name>-<version>.tar.gz` that resilient-sdk puts in
 * an App Host package. Regular files and directories only; names up to 100 bytes.
 */

export interface TarEntry {
  /** Path inside the archive, `/`-separated; a directory ends with `/` and has no data. */
  name: string;
  data?: Buffer;
}

const BLOCK = 512;

export function writeTarGz(entries: readonly TarEntry[], modified: Date): Buffer {
  const mtime = Math.floor(modified.getTime() / 1000);
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const directory = entry.name.endsWith('/');
    const data = directory ? Buffer.alloc(0) : (entry.data ?? Buffer.alloc(0));
    parts.push(header(entry.name, directory, data.length, mtime), data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}

function header(name: string, directory: boolean, size: number, mtime: number): Buffer {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length === 0 || bytes.length > 100 || name.startsWith('/')) throw new Error(`Invalid tar entry name: ${name}`);
  const h = Buffer.alloc(BLOCK);
  bytes.copy(h, 0);
  octal(h, 100, 8, directory ? 0o755 : 0o644);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.write(directory ? '5' : '0', 156, 'latin1');
  h.write('ustar\u000000', 257, 'latin1');
  h.write('root', 265, 'latin1');
  h.write('root', 297, 'latin1');
  // The checksum is taken with its own field as eight spaces, then written as six octal digits, NUL, space.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return h;
}

function octal(h: Buffer, at: number, width: number, value: number): void {
  h.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, at, 'latin1');
}
