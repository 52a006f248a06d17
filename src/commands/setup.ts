import type { Io } from '../main.js';
import { EXIT_FAILURE, EXIT_OK, reportFatal, startApp } from './command-support.js';
import { applySchemaGap, describeGap, findSchemaGaps, gapIsEmpty } from './schema-plan.js';

/**
 * `guardduty-soar setup`: creates in SOAR the custom incident fields, data tables (and missing
 * columns) and artifact types the integration needs and does not find. Idempotent: a second run
 * changes nothing and says so.
 */
export async function setupCommand(io: Io, options: { config?: string | undefined; dryRun?: boolean }): Promise<number> {
  const app = startApp(io, options.config, 'setup', { quiet: true });
  if (typeof app === 'number') return app;
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  try {
    const org = await app.soar.connect();
    const gap = findSchemaGaps(await app.soar.readSchema());
    for (const m of gap.mismatched) out(`warning: ${m} (left as it is; guardduty-soar writes text into it)`);
    if (gapIsEmpty(gap)) {
      out(`Nothing to do: everything guardduty-soar needs is present in org "${org.name}".`);
      return EXIT_OK;
    }
    if (options.dryRun) {
      out(`Missing in org "${org.name}" (run without --dry-run to create):`);
      for (const line of describeGap(gap)) out(`  ${line}`);
      return EXIT_OK;
    }
    const created = await applySchemaGap(app.soar, gap, out);
    out(`Created ${created} object${created === 1 ? '' : 's'} in org "${org.name}".`);
    return EXIT_OK;
  } catch (err) {
    reportFatal(app, io, 'Setup failed', err);
    return EXIT_FAILURE;
  } finally {
    app.close();
  }
}
