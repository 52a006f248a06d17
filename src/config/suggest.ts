import type { SectionSpec } from './keys.js';

/** "Did you mean" for unknown keys: the closest known key of the section, or the section a key belongs to. */

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The closest name within a distance that still looks like a typo (a third of the length, at least 2). */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best && best.distance <= limit ? best.name : undefined;
}

export function unknownKeyWarning(section: SectionSpec, name: string, all: readonly SectionSpec[]): string {
  const home = all.find((s) => s !== section && Object.hasOwn(s.keys, name));
  if (home) return `Unknown key [${section.name}] ${name}: it belongs in the [${home.name}] section, where it is read.`;
  const closest = closestName(name, Object.keys(section.keys));
  const advice = closest ? `did you mean ${closest}?` : `no known key of [${section.name}] is similar; it is ignored.`;
  return `Unknown key [${section.name}] ${name}: ${advice}`;
}
