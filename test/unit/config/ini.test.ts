import { describe, expect, it } from 'vitest';
import { parseIni } from '../../../src/config/ini.js';

/** Each expectation was checked against Python 3's configparser (interpolation=None, strict=True). */

function values(text: string, section: string): Record<string, string> {
  const doc = parseIni(text);
  return Object.fromEntries([...(doc.sections.get(section)?.entries ?? [])].map(([k, e]) => [k, e.value]));
}

describe('parseIni', () => {
  it('reads "=" and ":" delimiters, splitting at the first one, and lowercases option names', () => {
    const text = '[s]\nHost = http://127.0.0.1:4010\nOrg: Demo Org\nkey: a=b\nplain=x=y\n';
    expect(values(text, 's')).toEqual({ host: 'http://127.0.0.1:4010', org: 'Demo Org', key: 'a=b', plain: 'x=y' });
  });

  it('keeps section names case-sensitive and records line numbers', () => {
    const doc = parseIni('[Resilient]\n\nhost = a\n');
    expect(doc.sections.has('resilient')).toBe(false);
    expect(doc.sections.get('Resilient')?.entries.get('host')).toEqual({ value: 'a', line: 3 });
  });

  it('skips full-line comments, also indented ones, and keeps inline # and ; in values', () => {
    const text = ['# top', '[s]', '; a comment', '   # indented comment', 'regex = "^(us|eu).*#x"', 'pw = abc;def # not a comment'].join('\n');
    expect(values(text, 's')).toEqual({ regex: '"^(us|eu).*#x"', pw: 'abc;def # not a comment' });
  });

  it('appends indented continuation lines with \\n, keeps inner blank lines, drops trailing ones and comments', () => {
    const text = ['[s]', 'map = Low=Low', '  High=High', '', '    # skipped', '  Critical=High', '', '', 'next = 1'].join('\n');
    expect(values(text, 's')).toEqual({ map: 'Low=Low\nHigh=High\n\nCritical=High', next: '1' });
  });

  it('treats an indented key line after a value as a continuation, as configparser does', () => {
    expect(values('[s]\na = 1\n  b = 2\n', 's')).toEqual({ a: '1\nb = 2' });
  });

  it('allows empty values and strips the value', () => {
    expect(values('[s]\nempty =\ncolon:\nspaced =   v  \n', 's')).toEqual({ empty: '', colon: '', spaced: 'v' });
  });

  it('skips a UTF-8 byte order mark and accepts CRLF line ends', () => {
    expect(values('\uFEFF[s]\r\nk = v\r\n', 's')).toEqual({ k: 'v' });
  });

  it('reports duplicate keys and sections with both line numbers, and keeps going', () => {
    const doc = parseIni('[s]\nk = 1\nK = 2\n[s]\nother = 3\n');
    expect(doc.problems).toEqual([
      expect.objectContaining({ line: 3, key: 's.k', expected: 'each key once per section', hint: expect.stringContaining('line 2') }),
      expect.objectContaining({ line: 4, key: 's', expected: 'each [section] once', hint: expect.stringContaining('line 1') }),
    ]);
    expect(values('[s]\nk = 1\nK = 2\n[s]\nother = 3\n', 's')).toMatchObject({ other: '3' });
  });

  it('reports a line that is not a key and a key before any section, without echoing the line', () => {
    const doc = parseIni('orphan = 1\n[s]\njust some words\n');
    expect(doc.problems.map((p) => p.line)).toEqual([1, 3]);
    expect(JSON.stringify(doc.problems)).not.toContain('just some words');
  });

  it('keeps [DEFAULT] apart as fallbacks for every section', () => {
    const doc = parseIni('[DEFAULT]\ntimeout = 5\n[s]\nk = v\n');
    expect(doc.defaults.get('timeout')?.value).toBe('5');
    expect(doc.sections.has('DEFAULT')).toBe(false);
  });
});
