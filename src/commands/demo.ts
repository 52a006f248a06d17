import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulators, type Emulators } from '../../emulators/index.js';
import type { Io } from '../app/app.js';
import { runCycle, type CycleReport } from '../poller/run-cycle.js';
import { byHandStepsFrom } from './by-hand.js';
import { prepare, startApp } from '../app/start.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../app/exit-codes.js';
import { functionsStory } from './demo-functions.js';
import { printSequenceCase } from './demo-sequence.js';
import { DemoPrinter } from './demo-story.js';
import { applyFunctionsGap, findFunctionsGap, readFunctionsState } from '../setup/functions-plan.js';
import { progressForApp } from '../app/progress-for-app.js';
import { applySchemaGap, findSchemaGaps } from '../setup/schema-plan.js';

/** The story needs this many findings: one updated, one archived, one closed, one refreshed, one vanished. */
export const DEMO_MIN_FINDINGS = 5;

/**
 * `guardduty-soar demo`: the embedded default. Starts both emulators with sample findings, writes an
 * app.config pointing at them, runs setup, then runs the real daemon cycle four times with changes
 * made between cycles so every sync path shows: escalation, update, close on archive, archive on
 * close, manual refresh, a new finding, a vanished finding, a recurrence, and an idle cycle. Then the
 * daemon serves SOAR functions: a responder's Refresh Finding and an IPSet created from SOAR.
 */
export async function demoCommand(io: Io, options: { findings: number; verbose?: boolean | undefined }): Promise<number> {
  if (options.findings < DEMO_MIN_FINDINGS) {
    io.stderr.write(`--findings ${options.findings} is too few: the demo changes ${DEMO_MIN_FINDINGS} findings between its cycles (update, archive, close, refresh, vanish); use --findings ${DEMO_MIN_FINDINGS} or more.\n`);
    return EXIT_USAGE;
  }
  const out = new DemoPrinter((text) => void io.stdout.write(text));
  const emulators = await startEmulators({ aws: { sampleFindings: options.findings, latencyMs: 2, seed: 7 }, soar: { latencyMs: 2 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardduty-soar-demo-'));
  try {
    const configPath = writeDemoConfig(dir, emulators);
    // The daemon reaches the emulators through the AWS SDK's standard endpoint variables.
    for (const service of ['GUARDDUTY', 'EC2', 'STS']) process.env[`AWS_ENDPOINT_URL_${service}`] = emulators.aws.url;
    out.heading('Local emulators');
    out.line(`AWS (GuardDuty, EC2, STS): ${emulators.aws.url}; SOAR: ${emulators.soar.url} (org "${emulators.soar.orgName}")`);
    // The config file is temporary (removed on exit): named only as such, never by its path.
    out.line(`GuardDuty holds ${emulators.aws.listFindings({}).length} sample findings in ${Object.keys(emulators.aws.detectors).length} regions; the daemon reads a temporary app.config pointing at them`);
    return await runStory(io, out, emulators, configPath, options.verbose ?? false);
  } finally {
    await emulators.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runStory(io: Io, out: DemoPrinter, emulators: Emulators, configPath: string, verbose: boolean): Promise<number> {
  const app = startApp(verbose ? io : { ...io, stdout: io.stderr }, configPath, 'demo', { quiet: !verbose });
  if (typeof app === 'number') return app;
  try {
    out.heading('setup: create the custom fields, data tables, artifact types and the SOAR functions in SOAR');
    await app.soarClient.session.connect();
    const setup = async (): Promise<number> => {
      const functions = await readFunctionsState(app.soarClient.catalog);
      return await applySchemaGap(app.soarSchema, findSchemaGaps(await app.soarSchema.readSchema()), () => undefined)
        + await applyFunctionsGap(app.soarClient.catalog, functions, findFunctionsGap(functions), () => undefined);
    };
    const created = await setup();
    out.line(`created ${created} objects (schema, the message destination fn_aws_gd, its functions and their inputs); a second run: ${await setup()} (idempotent)`);
    const deps = await prepare(app);
    // The story is the demo's output, so progress lines join it (the daemon's own log is quiet here).
    const display = progressForApp(app, io, (_fields, text) => out.line(`  progress: ${text}`));
    const cycle = async (title: string): Promise<CycleReport> => {
      out.heading(title);
      emulators.aws.resetCalls();
      emulators.soar.resetCalls();
      const report = await runCycle({ ...deps, progress: display.listener }).finally(() => display.stop());
      out.cycle(report, emulators);
      return report;
    };
    // An attack sequence and the findings it is made of, reported by GuardDuty with the samples.
    const attack = emulators.aws.generateSequence({ type: 'AttackSequence:S3/CompromisedData', region: 'us-east-1' });
    const inAttack = new Set([attack.sequence.id, ...attack.members.map((m) => m.id)]);
    const first = await cycle('Cycle 1: every finding becomes a complete incident');
    const byFinding = (id: string): number => emulators.soar.listIncidents().find((i) => i.properties.aws_guardduty_finding_id === id)?.id ?? 0;
    const findings = emulators.aws.listFindings({ archived: false }).map((f) => String(f.id)).filter((id) => !inAttack.has(id));
    const [updated, archived, closed, refreshed, vanished] = findings;
    if (!updated || !archived || !closed || !refreshed || !vanished) return EXIT_FAILURE;
    out.incident(emulators, byFinding(updated), 'What a responder opens');
    printSequenceCase(out, emulators, attack, byFinding);

    out.heading('Changes: GuardDuty updates one finding and archives another, and adds a signal to the attack sequence; a responder closes one incident and asks to refresh another; a new finding appears');
    emulators.aws.updateFinding(updated, { recur: 3 });
    emulators.aws.archiveFindings([archived]);
    emulators.soar.closeIncident(byFinding(closed), { resolution: 'Not an Issue', summary: 'Benign: a scheduled scanner.' });
    emulators.soar.setProperties(byFinding(refreshed), { aws_guardduty_trigger_refresh: true });
    const [fresh] = emulators.aws.generateFindings({ count: 1, region: 'us-east-1', severity: 8.5, updatedAt: Date.now(), createdAt: Date.now() });
    emulators.aws.growSequence(attack.sequence.id);
    await cycle('Cycle 2: every sync path');
    out.incident(emulators, byFinding(updated), 'Updated finding');
    out.incident(emulators, byFinding(archived), 'Archived in GuardDuty -> incident closed');
    out.incident(emulators, byFinding(closed), 'Closed in SOAR -> finding archived');
    out.line(`    GuardDuty now says finding ${closed} archived = ${String(emulators.aws.getFinding(closed)?.service?.archived)}`);
    out.incident(emulators, byFinding(refreshed), 'Refreshed on request');
    if (fresh) out.incident(emulators, byFinding(String(fresh.id)), 'New finding');
    out.incident(emulators, byFinding(attack.sequence.id), 'Attack sequence grown by a signal (its new member has an incident, linked)', { lastNoteOnly: true });

    out.heading('Changes: a finding vanishes from GuardDuty; the closed incident\'s finding is unarchived and recurs');
    emulators.aws.deleteFindings([vanished]);
    emulators.aws.unarchiveFindings([closed]);
    emulators.aws.updateFinding(closed, { recur: 1 });
    await cycle('Cycle 3: vanished finding and recurrence');
    out.incident(emulators, byFinding(vanished), 'Vanished finding');
    out.incident(emulators, byFinding(closed), 'Recurred after close -> reopened');

    const idle = await cycle('Cycle 4: nothing changed (the idle cost)');
    const served = await functionsStory(app, deps, emulators, out, byFinding(refreshed));
    out.heading('Done');
    out.line(`${emulators.soar.listIncidents().length} incidents in SOAR for ${first.regions.length} regions; every cycle ${idle.ok ? 'succeeded' : 'reported failures'}; the SOAR functions ${served ? 'succeeded' : 'failed'}.`);
    printByHand(out, io.cwd);
    return idle.ok && served ? EXIT_OK : EXIT_FAILURE;
  } finally {
    app.close();
  }
}

/**
 * How to run the same against the emulators without the demo (the README's "By hand"), as commands
 * that run as printed from the folder the demo was started in: nothing it names is removed on exit.
 */
function printByHand(out: DemoPrinter, cwd: string): void {
  const steps = byHandStepsFrom(cwd);
  out.line();
  out.line('Run it yourself (README, "By hand"). In this folder, start the emulators and leave them running:');
  out.line(`  ${steps.emulate}`);
  out.line('then, in another shell in this folder:');
  for (const command of steps.script) out.line(`  ${command}`);
  if (!steps.emulatorsConfigExists) out.line('(app.config.emulators is not installed with this copy of guardduty-soar: take it from the repository.)');
  else if (fs.existsSync(path.join(cwd, 'app.config'))) out.line('(cp replaces the app.config of this folder: keep a copy of it first, or run these in another folder.)');
}

function writeDemoConfig(dir: string, emulators: Emulators): string {
  const soarUrl = new URL(emulators.soar.url);
  const file = path.join(dir, 'app.config');
  fs.writeFileSync(
    file,
    [
      '# Written by `guardduty-soar demo`: the local emulators.',
      '[resilient]',
      `host = http://${soarUrl.hostname}`,
      `port = ${soarUrl.port}`,
      `org = ${emulators.soar.orgName}`,
      'api_key_id = demo-key',
      'api_key_secret = demo-secret',
      // SOAR functions: the emulator's STOMP broker over TLS, its CA verified.
      `stomp_port = ${String(emulators.soar.stompPort)}`,
      `stomp_cafile = ${emulators.soar.caPath ?? ''}`,
      '',
      '[fn_aws_guardduty]',
      'aws_gd_access_key_id = AKIADEMOEXAMPLE00001',
      'aws_gd_secret_access_key = demo-secret-access-key',
      'aws_gd_master_region = us-east-1',
      'aws_gd_regions = .*',
      'aws_gd_regions_interval = 60',
      'aws_gd_polling_interval = 10',
      'aws_gd_include_sample_findings = true',
      `aws_gd_db_path = ${path.join(dir, 'guardduty-soar.db')}`,
      '',
    ].join('\n'),
  );
  return file;
}
