import { describe, expect, it } from 'vitest';
import { strptimeUtc } from '../../../src/incidents/strptime.js';
import { soarDatetimeFormat, toJson } from '../../../src/incidents/template-filters.js';

/**
 * strptimeUtc refuses what Python's datetime.strptime refuses (IBM's templates were written against
 * it): each expectation below is what CPython 3 answers for the same text and format.
 */

const at = (iso: string): number => Date.parse(iso);

describe('strptimeUtc, as strict as Python', () => {
  it('refuses a month that does not exist', () => {
    expect(strptimeUtc('2021-13-01', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2021-00-10', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2021-12-01', '%Y-%m-%d')).toBe(at('2021-12-01T00:00:00Z'));
    expect(strptimeUtc('2021-1-2', '%Y-%m-%d')).toBe(at('2021-01-02T00:00:00Z'));
  });

  it('refuses a day the month lacks, with leap years right', () => {
    expect(strptimeUtc('2021-02-30', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2021-04-31', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2021-01-00', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2023-02-29', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('1900-02-29', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('2024-02-29', '%Y-%m-%d')).toBe(at('2024-02-29T00:00:00Z'));
    expect(strptimeUtc('2000-02-29', '%Y-%m-%d')).toBe(at('2000-02-29T00:00:00Z'));
    // Without a year Python takes 1900, which has no 29 February.
    expect(strptimeUtc('02-29', '%m-%d')).toBeUndefined();
  });

  it('refuses hours, minutes and seconds out of range, leap seconds included', () => {
    expect(strptimeUtc('25:61:61', '%H:%M:%S')).toBeUndefined();
    expect(strptimeUtc('24:00:00', '%H:%M:%S')).toBeUndefined();
    expect(strptimeUtc('23:60:00', '%H:%M:%S')).toBeUndefined();
    expect(strptimeUtc('23:59:60', '%H:%M:%S')).toBeUndefined();
    expect(strptimeUtc('7:5:3', '%H:%M:%S')).toBe(at('1900-01-01T07:05:03Z'));
  });

  it('takes month names only whole: abbreviations for %b, full names for %B', () => {
    expect(strptimeUtc('Janxyz 2021', '%b %Y')).toBeUndefined();
    expect(strptimeUtc('Janxyz 2021', '%B %Y')).toBeUndefined();
    expect(strptimeUtc('Sept 2021', '%b %Y')).toBeUndefined();
    expect(strptimeUtc('january 2021', '%b %Y')).toBeUndefined();
    expect(strptimeUtc('Jan 2021', '%B %Y')).toBeUndefined();
    expect(strptimeUtc('Sep 2021', '%b %Y')).toBe(at('2021-09-01T00:00:00Z'));
    expect(strptimeUtc('JUNE 2021', '%B %Y')).toBe(at('2021-06-01T00:00:00Z'));
    expect(strptimeUtc(' 1 Jan 2021', '%d %b %Y')).toBe(at('2021-01-01T00:00:00Z'));
  });

  it('reads %I as hours 1-12 with %p, and %p only with %I', () => {
    expect(strptimeUtc('13:00 PM', '%I:%M %p')).toBeUndefined();
    expect(strptimeUtc('00:00 AM', '%I:%M %p')).toBeUndefined();
    expect(strptimeUtc('12:00 AM', '%I:%M %p')).toBe(at('1900-01-01T00:00:00Z'));
    expect(strptimeUtc('12:30 PM', '%I:%M %p')).toBe(at('1900-01-01T12:30:00Z'));
    expect(strptimeUtc('01:15 pm', '%I:%M %p')).toBe(at('1900-01-01T13:15:00Z'));
    // %I without %p is a morning hour; %p beside %H changes nothing.
    expect(strptimeUtc('12:30', '%I:%M')).toBe(at('1900-01-01T00:30:00Z'));
    expect(strptimeUtc('01:00 PM', '%H:%M %p')).toBe(at('1900-01-01T01:00:00Z'));
  });

  it('reads %z as Python does: upper-case Z, one colon style, under 24 hours', () => {
    const f = '%Y-%m-%dT%H:%M:%S%z';
    expect(strptimeUtc('2021-01-01T00:00:00+0130', f)).toBe(at('2020-12-31T22:30:00Z'));
    expect(strptimeUtc('2021-01-01T00:00:00-01:30', f)).toBe(at('2021-01-01T01:30:00Z'));
    expect(strptimeUtc('2021-01-01T00:00:00Z', f)).toBe(at('2021-01-01T00:00:00Z'));
    expect(strptimeUtc('2021-01-01T00:00:00z', f)).toBeUndefined();
    expect(strptimeUtc('2021-01-01T00:00:00+01:60', f)).toBeUndefined();
    expect(strptimeUtc('2021-01-01T00:00:00+2400', f)).toBeUndefined();
    expect(strptimeUtc('2021-01-01T00:00:00+01:3000', f)).toBeUndefined();
  });

  it('counts %j days as Python does, and refuses what is left unconverted', () => {
    expect(strptimeUtc('2024 366', '%Y %j')).toBe(at('2024-12-31T00:00:00Z'));
    expect(strptimeUtc('2023 366', '%Y %j')).toBe(at('2024-01-01T00:00:00Z'));
    expect(strptimeUtc('2023 367', '%Y %j')).toBeUndefined();
    expect(strptimeUtc('2023 000', '%Y %j')).toBeUndefined();
    expect(strptimeUtc('2021-02-03 extra', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('0000-01-01', '%Y-%m-%d')).toBeUndefined();
    expect(strptimeUtc('0001-01-01', '%Y-%m-%d')).toBe(at('0001-01-01T00:00:00Z'));
  });

  it('refuses a directive used twice and one it does not know', () => {
    expect(strptimeUtc('2021 2022', '%Y %Y')).toBeUndefined();
    expect(strptimeUtc('2021', '%Q')).toBeUndefined();
  });
});

describe('soar_datetimeformat with a date Python refuses', () => {
  it('gives null (an empty date field), not a date rolled over into the next month', () => {
    expect(soarDatetimeFormat('2021-02-30', '%Y-%m-%d')).toBeUndefined();
    expect(soarDatetimeFormat('2021-02-30T10:00:00Z', '%Y-%m-%dT%H:%M:%S')).toBeUndefined();
    expect(soarDatetimeFormat('2021-13-01 10:00', '%Y-%m-%d %H:%M')).toBeUndefined();
    expect(soarDatetimeFormat('13:00 PM 2021-01-02', '%I:%M %p %Y-%m-%d')).toBeUndefined();
    expect(toJson(soarDatetimeFormat('2021-02-30', '%Y-%m-%d'))).toBe('null');
    expect(soarDatetimeFormat('2024-02-29T10:00:00Z', '%Y-%m-%dT%H:%M:%S')).toBe(at('2024-02-29T10:00:00Z'));
  });
});
