import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_RESTART } from '../../../src/app/exit-codes.js';

/** docs/operations.md states the exit code of a changed app.config as the code has it (orchestrators act on it). */

const docs = fs.readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');

describe('docs/operations.md', () => {
  it('gives a changed app.config the exit code the daemon uses, everywhere it mentions one', () => {
    // Every paragraph or list item about a configuration change that names an exit code.
    const passages = docs.split(/\n(?=\s*(?:[-*]|\d+\.)\s|\n)/).filter((p) => /(config(uration)?|ConfigMap)\b[^.]*\b(change|update|saving)|changed `app\.config`|Saving the configuration/i.test(p) && /exit/i.test(p));
    expect(passages.length).toBeGreaterThanOrEqual(3);
    for (const passage of passages) {
      const codes = [...passage.matchAll(/exit(?:s| code)? (?:with code )?(\d+)/gi)].map((m) => Number(m[1]));
      expect(codes, passage).not.toHaveLength(0);
      expect(codes.every((c) => c === EXIT_RESTART), passage).toBe(true);
    }
  });
});
