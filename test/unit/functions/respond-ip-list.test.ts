import { describe, expect, it } from 'vitest';
import { addEntries, countEntries, normaliseEntry, parseEntries, removeEntries } from '../../../src/functions/ip-list.js';

describe('IP entries as a responder types them', () => {
  it('normalises IPv4, IPv6 and CIDR ranges to one spelling each', () => {
    expect(normaliseEntry(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(normaliseEntry('203.0.113.7/32')).toBe('203.0.113.7');
    expect(normaliseEntry('198.51.100.0/24')).toBe('198.51.100.0/24');
    expect(normaliseEntry('0.0.0.0/0')).toBe('0.0.0.0/0');
    expect(normaliseEntry('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(normaliseEntry('2001:db8::1/128')).toBe('2001:db8::1');
    expect(normaliseEntry('2001:DB8::/32')).toBe('2001:db8::/32');
    expect(normaliseEntry('::/0')).toBe('::/0');
  });

  it('refuses what is not an address or a range, saying why', () => {
    expect(() => normaliseEntry('01.2.3.4')).toThrow(/"01.2.3.4" is not an IPv4 or IPv6 address or CIDR range/);
    expect(() => normaliseEntry('example.com')).toThrow(/"example.com" is not an IPv4 or IPv6/);
    expect(() => normaliseEntry('fe80::1%eth0')).toThrow(/is not an IPv4 or IPv6/);
    expect(() => normaliseEntry('1.2.3.4/33')).toThrow(/prefix length must be 0-32/);
    expect(() => normaliseEntry('2001:db8::/129')).toThrow(/prefix length must be 0-128/);
    expect(() => normaliseEntry('10.0.0.5/24')).toThrow(/host bits set \(did you mean 10\.0\.0\.0\/24\?\)/);
    expect(() => normaliseEntry('2001:db8::1/64')).toThrow(/did you mean 2001:db8::\/64\?/);
  });

  it('splits on commas, semicolons, spaces and new lines and drops duplicates', () => {
    expect(parseEntries('203.0.113.7, 203.0.113.7/32;\n2001:DB8::1  2001:db8::1\t198.51.100.0/24,')).toEqual(['203.0.113.7', '2001:db8::1', '198.51.100.0/24']);
  });
});

describe('editing a TXT list', () => {
  it('adds only what is missing, keeps comments and other lines, ends with a new line', () => {
    const edit = addEntries('# scanners\n203.0.113.7/32\nnot-an-ip', ['203.0.113.7', '198.51.100.9']);
    expect(edit).toEqual({ text: '# scanners\n203.0.113.7/32\nnot-an-ip\n198.51.100.9\n', changed: ['198.51.100.9'], unchanged: ['203.0.113.7'], entries: 3 });
    expect(addEntries('', ['2001:db8::1'])).toMatchObject({ text: '2001:db8::1\n', entries: 1 });
    expect(addEntries('1.1.1.1\n', ['1.1.1.1'])).toEqual({ text: '1.1.1.1\n', changed: [], unchanged: ['1.1.1.1'], entries: 1 });
  });

  it('removes every spelling of an entry and reports what was not there', () => {
    const edit = removeEntries('# c\n2001:DB8::1\n203.0.113.7/32\r\n198.51.100.9\n', ['203.0.113.7', '2001:db8::1', '192.0.2.1']);
    expect(edit).toEqual({ text: '# c\n198.51.100.9\n', changed: ['203.0.113.7', '2001:db8::1'], unchanged: ['192.0.2.1'], entries: 1 });
    expect(removeEntries('1.1.1.1', ['2.2.2.2'])).toEqual({ text: '1.1.1.1', changed: [], unchanged: ['2.2.2.2'], entries: 1 });
    expect(countEntries('\n# only a comment\n\n')).toBe(0);
  });
});
