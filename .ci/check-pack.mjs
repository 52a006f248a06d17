// What `npm pack` would publish: the LICENSE that package.json names, and no source map that points
// at a source the package does not ship (a debugger or `--enable-source-maps` would then show nothing).
// Run after `npm run build`; exits 1 naming every offending file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }));
const shipped = new Set(report.files.map((f) => f.path));
const problems = [];
if (!shipped.has('LICENSE')) problems.push('LICENSE is not in the package');
const { bin } = JSON.parse(readFileSync('package.json', 'utf8'));
for (const entry of Object.values(bin ?? {})) {
  if (!shipped.has(path.posix.normalize(entry))) problems.push(`the bin ${entry} is not in the package (run npm run build first)`);
}
for (const file of shipped) {
  if (!file.endsWith('.map')) continue;
  const map = JSON.parse(readFileSync(file, 'utf8'));
  (map.sources ?? []).forEach((source, i) => {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), map.sourceRoot ?? '', source));
    if (!shipped.has(target) && typeof map.sourcesContent?.[i] !== 'string') problems.push(`${file} points at ${target}, which is not shipped`);
  });
}
if (problems.length > 0) {
  console.error(`npm pack check failed:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
  process.exit(1);
}
console.log(`npm pack check: ${shipped.size} files, LICENSE included, no source map without its source`);
