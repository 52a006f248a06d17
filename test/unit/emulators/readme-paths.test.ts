import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The emulators' READMEs are read in a clone, where nothing outside the repository exists: every
 * file they name (a markdown link, or a path in backticks) must be a file of this repository.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const READMES = ['emulators/aws/README.md', 'emulators/soar/README.md'];

/** Relative file names a README points at: link targets, and backticked paths with an extension or a trailing slash. */
function namedPaths(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const links = [...prose.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1] ?? '').filter((t) => !/^[a-z]+:/i.test(t));
  const ticked = [...prose.matchAll(/`([\w.-]+(?:\/[\w.-]+)*(?:\.[a-z]{1,4}|\/))`/g)].map((m) => m[1] ?? '').filter((t) => t.includes('/'));
  return [...links, ...ticked];
}

describe('the emulators\' READMEs', () => {
  for (const readme of READMES) {
    it(`${readme} names only files of this repository`, () => {
      const dir = path.dirname(path.join(ROOT, readme));
      const named = namedPaths(fs.readFileSync(path.join(ROOT, readme), 'utf8'));
      const outside = named.filter((name) => {
        const candidates = [path.resolve(dir, name), path.resolve(ROOT, name)];
        return !candidates.some((c) => !path.relative(ROOT, c).startsWith('..') && fs.existsSync(c));
      });
      expect(outside).toEqual([]);
      // "§3.1" pointed into a contract document that only the authors had.
      expect(fs.readFileSync(path.join(ROOT, readme), 'utf8')).not.toMatch(/§\s*\d/);
    });
  }
});
