import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record), enough
 * for the App Host package: a few small files, deflated, no ZIP64, no encryption. The project has
 * no zip dependency; App Host and resilient-sdk read ordinary deflate archives.
 */

export interface ZipEntry {
  /** Path inside the archive, `/`-separated, no leading slash. */
  name: string;
  data: Buffer;
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const END_SIGNATURE = 0x06054b50;
const DEFLATE = 8;
// Version 2.0: deflate. Bit 11 of the flags: the name is UTF-8.
const VERSION = 20;
const UTF8_FLAG = 0x0800;
const LIMIT = 0xffffffff;

/** The archive's bytes; `modified` is every entry's timestamp (DOS time in 2 s steps, written from its UTC fields). */
export function writeZip(entries: readonly ZipEntry[], modified: Date): Buffer {
  const names = new Set<string>();
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.name === '' || entry.name.startsWith('/') || entry.name.includes('\\')) throw new Error(`Invalid zip entry name: ${entry.name}`);
    if (names.has(entry.name)) throw new Error(`Duplicate zip entry: ${entry.name}`);
    names.add(entry.name);
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    if (entry.data.length >= LIMIT || compressed.length >= LIMIT || offset >= LIMIT) throw new Error('Zip entry too large (no ZIP64 support)');
    const crc = crc32(entry.data);
    const common = (header: Buffer, at: number): void => {
      header.writeUInt16LE(UTF8_FLAG, at);
      header.writeUInt16LE(DEFLATE, at + 2);
      header.writeUInt16LE(time, at + 4);
      header.writeUInt16LE(date, at + 6);
      header.writeUInt32LE(crc, at + 8);
      header.writeUInt32LE(compressed.length, at + 12);
      header.writeUInt32LE(entry.data.length, at + 16);
      header.writeUInt16LE(name.length, at + 20);
      header.writeUInt16LE(0, at + 22); // extra field length
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    common(local, 6);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE((3 << 8) | VERSION, 4); // made by: Unix, so the attributes below apply
    central.writeUInt16LE(VERSION, 6);
    common(central, 8);
    // comment length, disk number, internal attributes: 0. External: a regular file, mode 0644.
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** DOS date and time: years from 1980, UTC fields (the package is the same wherever it is built). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
