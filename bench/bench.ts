import fs from 'node:fs';
import { parseBenchArgs, UsageError } from './options.js';
import { renderReport } from './report.js';
import { runBench } from './run-bench.js';

/**
 * `npm run bench [-- options]`: the emulators in this process with realistic latency, the real
 * daemon (`guardduty-soar once`) as a child process, the figures next to their bound.
 * Exit code: 1 when a count or a correctness check fails (the daemon misbehaves), 0 otherwise, even
 * when a time or memory target is missed (that depends on the machine; the report says so); 2 for bad options.
 */
async function main(): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (err.exitCode === 0) console.log(err.message);
    else console.error(err.message);
    return err.exitCode;
  }
  const results = await runBench(options, (line) => console.error(`[bench] ${line}`));
  console.log(renderReport(results));
  if (options.json) {
    fs.writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
    console.error(`[bench] results written to ${options.json}`);
  }
  return results.checks.every((c) => c.ok || c.kind === 'time' || c.kind === 'memory') ? 0 : 1;
}

process.exitCode = await main();
