import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageMeta {
  name: string;
  version: string;
  description: string;
}

let cached: PackageMeta | undefined;

/**
 * This program's package.json facts (`--version`, the `metrics` of every function result, the App
 * Host package), read once from the package.json above this module: it sits at different depths in
 * src/ and dist/src/, and the package always ships its package.json.
 */
export function packageMeta(): PackageMeta {
  if (cached) return cached;
  const json = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string; version: string; description?: string };
  return (cached = { name: json.name, version: json.version, description: json.description ?? '' });
}

/** The folder of this program's package.json: the clone, or the installed package (files it ships sit there). */
export function packageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'guardduty-soar' && json.version) return dir;
    }
    if (dirname(dir) === dir) throw new Error('The package.json of guardduty-soar was not found above the program');
  }
}
