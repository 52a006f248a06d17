import { describe, expect, it } from 'vitest';
import { soarDatetimeFormat, soarSplitPart, soarSubstitute, TEMPLATE_FILTERS, toJson } from '../../../src/incidents/template-filters.js';
import { strptimeUtc } from '../../../src/incidents/strptime.js';

describe('template filters', () => {
  it('json: JSON text, null for undefined', () => {
    expect(toJson('a"b\u0000\n</script>')).toBe('"a\\"b\\u0000\\n</script>"');
    expect(toJson(undefined)).toBe('null');
    expect(toJson(null)).toBe('null');
    expect(toJson({ a: [1, true] })).toBe('{"a":[1,true]}');
  });

  it('soar_datetimeformat: epoch ms from GuardDuty’s ISO strings and from IBM-style formats', () => {
    expect(soarDatetimeFormat('2020-11-25T13:46:37.960Z')).toBe(Date.UTC(2020, 10, 25, 13, 46, 37, 960));
    expect(soarDatetimeFormat('2020-11-25T13:46:37.960Z', '%Y-%m-%dT%H:%M:%S', '.')).toBe(Date.UTC(2020, 10, 25, 13, 46, 37));
    expect(soarDatetimeFormat('25/11/2020 01:46 PM', '%d/%m/%Y %I:%M %p')).toBe(Date.UTC(2020, 10, 25, 13, 46));
    expect(soarDatetimeFormat('2020-11-25 13:46:37+0100', '%Y-%m-%d %H:%M:%S%z')).toBe(Date.UTC(2020, 10, 25, 12, 46, 37));
    expect(soarDatetimeFormat(1234)).toBe(1234);
    expect(soarDatetimeFormat('not a date')).toBeUndefined();
    expect(soarDatetimeFormat(undefined)).toBeUndefined();
  });

  it('strptime: fractions, month names and mismatches', () => {
    expect(strptimeUtc('2021-02-03 04:05:06.5', '%Y-%m-%d %H:%M:%S.%f')).toBe(Date.UTC(2021, 1, 3, 4, 5, 6, 500));
    expect(strptimeUtc('03 Feb 2021', '%d %b %Y')).toBe(Date.UTC(2021, 1, 3));
    expect(strptimeUtc('2021-02-03', '%Y/%m/%d')).toBeUndefined();
    expect(strptimeUtc('2021', '%Q')).toBeUndefined();
  });

  it('soar_substitute: IBM semantics (mapped value, then DEFAULT, then the value)', () => {
    const map = '{"Low": "Sev4", "DEFAULT": "Sev3"}';
    expect(soarSubstitute('Low', map)).toBe('Sev4');
    expect(soarSubstitute('Odd', map)).toBe('Sev3');
    expect(soarSubstitute('Odd', '{"Low": "Sev4"}')).toBe('Odd');
    expect(soarSubstitute(8, '{"8": "High"}')).toBe('High');
    expect(() => soarSubstitute('x', '{bad')).toThrow(/soar_substitute: the map is not valid JSON/);
  });

  it('soar_splitpart: IBM semantics', () => {
    expect(soarSplitPart('a - b - c', 1)).toBe('b');
    expect(soarSplitPart('a/b', 1, '/')).toBe('b');
    expect(soarSplitPart('a - b', 5)).toBe('a - b');
  });

  it('html: escapes markup', () => {
    expect(TEMPLATE_FILTERS.html?.('<b a="x">\'&')).toBe('&lt;b a=&quot;x&quot;&gt;&#39;&amp;');
  });
});
