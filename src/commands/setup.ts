import type { Io } from '../app/app.js';
import { reportFatal, startApp } from '../app/start.js';
import { EXIT_FAILURE, EXIT_OK } from '../app/exit-codes.js';
import { applyFunctionsGap, describeFunctionsGap, findFunctionsGap, functionsGapIsEmpty, readFunctionsState } from '../setup/functions-plan.js';
import { applySchemaGap, describeGap, findSchemaGaps, gapIsEmpty } from '../setup/schema-plan.js';

/**
 * `guardduty-soar setup`: creates in SOAR the custom incident fields, data tables (and missing
 * columns) and artifact types the integration needs and does not find, then the functions' input
 * fields, the message destination, the functions and the key's membership of the destination.
 * Idempotent: a second run changes nothing and says so. Objects that exist with another
 * definition are reported and left alone: they may be a customer's deliberate edits.
 */
export async function setupCommand(io: Io, options: { config?: string | undefined; dryRun?: boolean }): Promise<number> {
  const app = startApp(io, options.config, 'setup', { quiet: true });
  if (typeof app === 'number') return app;
  const out = (line: string): void => void io.stdout.write(`${line}\n`);
  try {
    const org = await app.soarClient.session.connect();
    const gap = findSchemaGaps(await app.soarSchema.readSchema());
    for (const m of gap.mismatched) out(`warning: ${m} (left as it is; guardduty-soar writes text into it)`);
    const fnState = await readFunctionsState(app.soarClient.catalog);
    const fnGap = findFunctionsGap(fnState);
    for (const m of fnGap.mismatched) out(`warning: ${m} (left as it is; change it in SOAR if the functions should match)`);
    if (gapIsEmpty(gap) && functionsGapIsEmpty(fnGap)) {
      out(`Nothing to do: everything guardduty-soar needs is present in org "${org.name}".`);
      return EXIT_OK;
    }
    if (options.dryRun) {
      out(`Missing in org "${org.name}" (run without --dry-run to create):`);
      for (const line of [...describeGap(gap), ...describeFunctionsGap(fnGap, fnState.principal)]) out(`  ${line}`);
      return EXIT_OK;
    }
    const created = await applySchemaGap(app.soarSchema, gap, out) + await applyFunctionsGap(app.soarClient.catalog, fnState, fnGap, out);
    out(`Created ${created} object${created === 1 ? '' : 's'} in org "${org.name}".`);
    return EXIT_OK;
  } catch (err) {
    reportFatal(app, io, 'Setup failed', err);
    return EXIT_FAILURE;
  } finally {
    app.close();
  }
}
