import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY_MAP, mapSeverity, severityBand } from '../../../src/findings/severity.js';

describe('severityBand', () => {
  it.each([
    [1, 'Low'], [3.9, 'Low'], [3.95, 'Low'], [4, 'Medium'], [6.99, 'Medium'], [7, 'High'], [8.9, 'High'], [8.95, 'High'],
    [9, 'Critical'], [9.5, 'Critical'], [10, 'Critical'], [0, 'Low'], [-3, 'Low'], [0.5, 'Low'], [11, 'Critical'],
  ])('%s → %s', (value, band) => {
    expect(severityBand(value)).toBe(band);
  });

  it.each([[undefined], [null], [Number.NaN], ['abc'], ['8'], [{}]])('%s → no band', (value) => {
    expect(severityBand(value)).toBeUndefined();
  });
});

describe('mapSeverity', () => {
  it('Critical maps to "High" by default', () => {
    expect(mapSeverity(9.5, DEFAULT_SEVERITY_MAP)).toEqual({ value: 9.5, band: 'Critical', name: 'High' });
  });

  it('honours a custom severity map', () => {
    const map = { Low: 'Sev4', Medium: 'Sev3', High: 'Sev2', Critical: 'Sev1' };
    expect(mapSeverity(9.5, map).name).toBe('Sev1');
    expect(mapSeverity(2, map).name).toBe('Sev4');
  });

  it('never throws: an unusable severity gets the Low name', () => {
    const map = { Low: 'Minor', Medium: 'M', High: 'H', Critical: 'C' };
    expect(mapSeverity('abc', map)).toEqual({ value: undefined, band: undefined, name: 'Minor' });
    expect(mapSeverity(undefined, DEFAULT_SEVERITY_MAP)).toEqual({ value: undefined, band: undefined, name: 'Low' });
  });
});
