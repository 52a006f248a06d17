import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageInfo } from './replies.js';

let cached: PackageInfo | undefined;

/**
 * This program's name and version for the `metrics` of every function result, read once from the
 * package.json above this module (it sits at different depths in src/ and dist/src/).
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (!existsSync(candidate)) continue;
    const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
    if (json.name === 'guardduty-soar' && json.version) return (cached = { name: json.name, version: json.version });
  }
  return (cached = { name: 'guardduty-soar', version: 'unknown' });
}
