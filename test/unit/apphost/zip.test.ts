import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../../src/apphost/zip.js';
import { readZip } from './zip-reader.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** What python3's zipfile (the reader resilient-sdk and App Host tooling use) sees in the archive. */
function pythonRead(zip: Buffer): { names: string[]; sizes: number[]; hex: string[]; testzip: string | null; dates: number[][] } {
  dir = mkdtempSync(join(tmpdir(), 'gds-zip-'));
  const path = join(dir, 'a.zip');
  writeFileSync(path, zip);
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'infos = z.infolist()',
    'print(json.dumps({"names": [i.filename for i in infos], "sizes": [i.file_size for i in infos],',
    '  "hex": [z.read(i).hex() for i in infos], "testzip": z.testzip(), "dates": [list(i.date_time) for i in infos]}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as ReturnType<typeof pythonRead>;
}

describe('writeZip', () => {
  const when = new Date(Date.UTC(2026, 11, 3, 15, 4, 27));
  const entries = [
    { name: 'app.json', data: Buffer.from('{"name": "x"}\n') },
    { name: 'export.res', data: Buffer.from('{"fields": []}\n'.repeat(500)) },
    { name: 'empty.txt', data: Buffer.alloc(0) },
    { name: 'dir/random.bin', data: randomBytes(70_000) },
    { name: 'ünïcode-名前.txt', data: Buffer.from('ok') },
  ];

  it('writes an archive python3 zipfile reads back byte for byte, with valid CRCs', () => {
    const zip = writeZip(entries, when);
    const seen = pythonRead(zip);
    expect(seen.names).toEqual(entries.map((e) => e.name));
    expect(seen.hex).toEqual(entries.map((e) => e.data.toString('hex')));
    expect(seen.testzip).toBeNull();
    // DOS time has 2-second steps.
    expect(seen.dates[0]).toEqual([2026, 12, 3, 15, 4, 26]);
  });

  it('reads back with an independent reader; repetitive text is compressed', () => {
    const zip = writeZip(entries, when);
    const files = readZip(zip);
    for (const e of entries) expect(files.get(e.name)?.equals(e.data)).toBe(true);
    expect(zip.length).toBeLessThan(entries.reduce((n, e) => n + e.data.length, 0));
  });

  it('is reproducible: the same entries and time give the same bytes', () => {
    expect(writeZip(entries, when).equals(writeZip(entries, when))).toBe(true);
  });

  it('refuses duplicate and absolute names', () => {
    expect(() => writeZip([entries[0], entries[0]], when)).toThrow(/Duplicate zip entry: app.json/);
    expect(() => writeZip([{ name: '/etc/passwd', data: Buffer.alloc(1) }], when)).toThrow(/Invalid zip entry name/);
  });
});
