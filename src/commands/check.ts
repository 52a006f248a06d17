import type { App, Io } from '../main.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, startApp } from './command-support.js';
import { explainFailure } from './check-hints.js';
import { describeGap, findSchemaGaps, gapIsEmpty } from './schema-plan.js';

type Line = { ok: boolean; name: string; detail: string; fix?: string };

/**
 * `guardduty-soar check`: a self-test an operator runs after installing. One line per check, OK or
 * FAIL with the reason and the fix. Exit 0 only if everything passes.
 */
export async function checkCommand(io: Io, options: { config?: string | undefined }): Promise<number> {
  const lines: Line[] = [];
  const print = (line: Line): void => {
    lines.push(line);
    io.stdout.write(`${line.ok ? 'OK  ' : 'FAIL'}  ${line.name}: ${line.detail}${line.fix ? `\n      Fix: ${line.fix}` : ''}\n`);
  };
  // Configuration problems are part of the report, so they go to stdout with the check lines.
  const app = startApp({ ...io, stderr: io.stdout }, options.config, 'check', { quiet: true });
  if (typeof app === 'number') {
    print({ ok: false, name: 'configuration', detail: 'invalid (every problem is listed above)', fix: 'Correct the keys listed above and run check again.' });
    return EXIT_USAGE;
  }
  print({ ok: true, name: 'configuration', detail: `valid (${app.config.dbPath} for state)` });
  try {
    for (const spec of app.aws) await checkAws(app, spec.source, spec.label, print);
    await checkSoar(app, print);
  } finally {
    app.close();
  }
  const failed = lines.filter((l) => !l.ok).length;
  io.stdout.write(failed === 0 ? 'All checks passed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed.\n`);
  return failed === 0 ? EXIT_OK : EXIT_FAILURE;
}

async function checkAws(app: App, source: FindingsSource, label: string, print: (l: Line) => void): Promise<void> {
  const { config } = app;
  const step = async <T>(name: string, permission: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      print({ ok: false, name, detail: explainFailure(err, 'aws', permission).reason, fix: explainFailure(err, 'aws', permission).fix });
      return undefined;
    }
  };
  const identity = await step(`AWS identity (${label})`, 'sts:GetCallerIdentity / sts:AssumeRole', () => source.identity());
  if (!identity) return;
  print({ ok: true, name: `AWS identity (${label})`, detail: `${identity.arn} (account ${identity.account})` });
  const regions = await step('AWS regions', 'ec2:DescribeRegions', () => source.listRegions());
  if (!regions) return;
  const selected = regions.map((r) => r.name).filter((n) => config.aws.regions.test(n)).sort();
  print({
    ok: selected.length > 0,
    name: 'AWS regions',
    detail: `${regions.length} enabled in ${config.aws.masterRegion}, ${selected.length} match aws_gd_regions /${config.aws.regions.source}/${selected.length ? `: ${selected.join(', ')}` : ''}`,
    ...(selected.length ? {} : { fix: 'Widen aws_gd_regions (an unanchored, case-insensitive regex such as ^us-).' }),
  });
  for (const region of selected) {
    const detectors = await step(`GuardDuty detector in ${region}`, 'guardduty:ListDetectors', () => source.listDetectors(region));
    if (!detectors) continue;
    const detectorId = detectors[0];
    if (!detectorId) {
      print({ ok: false, name: `GuardDuty detector in ${region}`, detail: 'none', fix: `Enable GuardDuty in ${region}, or exclude it with aws_gd_regions.` });
      continue;
    }
    const listed = await step(`GuardDuty findings in ${region}`, 'guardduty:ListFindings', async () => {
      for await (const page of source.listFindingIds(region, detectorId, { criteria: {}, sortBy: 'updatedAt', order: 'DESC', pageSize: 1 })) return page;
      return [];
    });
    if (!listed) continue;
    const fetched = await step(`GuardDuty findings in ${region}`, 'guardduty:GetFindings', () => source.getFindings(region, detectorId, listed.length ? listed : ['00000000000000000000000000000000']));
    if (!fetched) continue;
    const admin = await step(`GuardDuty archive permission in ${region}`, 'guardduty:GetAdministratorAccount', () => source.administratorOf(region, detectorId));
    print({ ok: true, name: `GuardDuty in ${region}`, detail: `detector ${detectorId}; ListFindings and GetFindings allowed` });
    if (admin === undefined && fetched) {
      print({ ok: true, name: `GuardDuty archive permission in ${region}`, detail: 'this account is not a member of another administrator: it may archive its findings' });
    } else if (admin) {
      print({
        ok: !config.sync.archiveOnClose,
        name: `GuardDuty archive permission in ${region}`,
        detail: `this account is a member of administrator ${admin}; GuardDuty lets only the administrator archive findings`,
        ...(config.sync.archiveOnClose ? { fix: 'Use the administrator account\'s credentials, or set aws_gd_archive_on_close = false.' } : {}),
      });
    }
  }
}

async function checkSoar(app: App, print: (l: Line) => void): Promise<void> {
  const { soar, config } = app;
  try {
    const org = await soar.connect();
    print({ ok: true, name: 'SOAR connection', detail: `${config.soar.baseUrl}: ${config.soar.auth.kind === 'apikey' ? 'API key' : 'password'} accepted, org "${org.name}" (id ${org.id})` });
  } catch (err) {
    const { reason, fix } = explainFailure(err, 'soar');
    print({ ok: false, name: 'SOAR connection', detail: reason, fix });
    return;
  }
  try {
    const gap = findSchemaGaps(await soar.readSchema());
    print(
      gapIsEmpty(gap)
        ? { ok: true, name: 'SOAR schema', detail: 'custom fields, data tables and artifact types present' }
        : { ok: false, name: 'SOAR schema', detail: `missing ${describeGap(gap).join('; ')}`, fix: 'Run `guardduty-soar setup` to create them.' },
    );
  } catch (err) {
    const { reason, fix } = explainFailure(err, 'soar');
    print({ ok: false, name: 'SOAR schema', detail: reason, fix });
  }
}
