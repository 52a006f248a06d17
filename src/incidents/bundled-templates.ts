import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplatePaths } from '../config/app-config.js';

/**
 * The templates shipped in the package's `templates/` folder. Found by walking up from this module
 * because it runs both from `src/incidents` (tests) and from `dist/src/incidents` (the package).
 */
export function bundledTemplatePaths(): TemplatePaths {
  const folder = findTemplatesFolder(dirname(fileURLToPath(import.meta.url)));
  return {
    create: join(folder, 'create-incident.json.njk'),
    update: join(folder, 'update-incident.json.njk'),
    close: join(folder, 'close-incident.json.njk'),
  };
}

function findTemplatesFolder(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'create-incident.json.njk'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`The bundled templates folder was not found above ${start}`);
  }
}
