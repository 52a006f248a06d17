import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findInvalidUtf8 } from '../../../src/config/ini.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { configText, sandbox } from './config-fixture.js';

/** app.config must be UTF-8, as Python reads it: a Latin-1 byte is refused with its line and offset, never read as U+FFFD. */

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('findInvalidUtf8', () => {
  it('accepts UTF-8, multi-byte characters and a byte order mark included', () => {
    expect(findInvalidUtf8(bytes([0xef, 0xbb, 0xbf], '[a]\nk = é ✓ 😀 \uFFFD\n'))).toBeUndefined();
  });

  it('names the line (LF, CRLF and CR ends) and the offset of the first bad byte', () => {
    expect(findInvalidUtf8(bytes('[a]\nk = caf', [0xe9], '\n'))).toEqual({ offset: 11, line: 2, byte: 0xe9 });
    expect(findInvalidUtf8(bytes('[a]\r\nx = 1\r\nk = ', [0xff]))).toEqual({ offset: 16, line: 3, byte: 0xff });
    expect(findInvalidUtf8(bytes('[a]\rx = 1\rk = ', [0xc3]))).toEqual({ offset: 14, line: 3, byte: 0xc3 });
  });

  it('refuses what Python refuses: overlong forms, surrogates, stray continuation bytes, a truncated end', () => {
    for (const bad of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
      expect(findInvalidUtf8(bytes('k = ', bad))?.offset).toBe(4);
    }
  });
});

describe('loadConfig with a file that is not UTF-8', () => {
  it('is a configuration problem naming the line and the byte offset, without echoing the value', () => {
    const box = sandbox();
    const text = configText({ resilient: { api_key_secret: 'PLACEHOLDER' } });
    const [before, after] = text.split('PLACEHOLDER') as [string, string];
    const path = join(box.dir, 'app.config');
    // "Sécret" written by a Latin-1 editor.
    writeFileSync(path, bytes(before, 'S', [0xe9], 'cret', after));
    const line = before.split('\n').length;
    let error: unknown;
    try {
      loadConfig({ path, env: {}, secretsDir: box.secretsDir, cwd: box.dir, templatesDir: box.templatesDir, hostname: 'h' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain(`app.config line ${line}: found "byte 0xe9 at byte offset ${Buffer.byteLength(before) + 1}"`);
    expect(message).toContain('UTF-8');
    expect(message).not.toContain('cret');
  });
});
