import { parseIsoUtc } from './iso-time.js';

/** `2025-11-03 06:02:11 UTC`; the text as it came when it is no time. */
export function readableTime(value: unknown): string {
  const ms = parseIsoUtc(value);
  if (ms === undefined) return typeof value === 'string' && value.trim() !== '' ? value : 'an unknown time';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** `3 h 29 min`, `2 d 4 h`, `45 s`: the two largest units, as a person says it. */
export function duration(ms: number): string {
  const units: [string, number][] = [['d', 86_400], ['h', 3_600], ['min', 60], ['s', 1]];
  const parts: [number, string][] = [];
  let rest = Math.round(ms / 1000);
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (parts.length > 0 || n > 0) parts.push([n, name]);
    if (parts.length === 2) break;
  }
  const shown = parts.filter(([n]) => n > 0).map(([n, name]) => `${n} ${name}`);
  return shown.length > 0 ? shown.join(' ') : '0 s';
}
