import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/commands/check.js';
import type { StatusReport } from '../../../src/commands/status-read.js';
import { runCycle, type CycleReport } from '../../../src/poller/run-cycle.js';
import { startHandlerWorld, type HandlerWorld } from '../../unit/functions/handler-world.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';
import { changeFinding, incidentOf, laterNotes, loseAnswerAndLookup, newFinding, SOAR_OPS, soarCalls, withStore } from '../../helpers/sync-helpers.js';

/**
 * An incident that no longer exists in SOAR: deleted by an administrator, or lost with an org that was
 * emptied or restored. A write that meets SOAR's 404 heals the link in the same cycle; a finding that
 * never changes is found by the checks of links against SOAR; a database that mostly names incidents
 * this org does not hold is refused, naming the database and the fix.
 */

let h: Harness | undefined;
let w: HandlerWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
  await h?.close();
  h = undefined;
});

const incidentsOf = (harness: Harness, findingId: string) => harness.incidents().filter((i) => i.properties.aws_guardduty_finding_id === findingId);
const sum = (report: CycleReport, outcome: keyof CycleReport['regions'][number]['outcomes']): number =>
  report.regions.reduce((n, r) => n + r.outcomes[outcome], 0);
const regionSummaries = (stdout: string) => logLines(stdout).filter((l) => l.message === 'Region summary');

/** `check` in-process (cheaper than the CLI on a loaded machine; the same command). */
async function check(harness: Harness): Promise<{ code: number; stdout: string }> {
  const io = harness.io();
  const code = await checkCommand(io, { config: harness.configPath });
  return { code, stdout: io.out() };
}

describe('a linked incident deleted while the daemon runs', () => {
  it('a changed finding whose incident was deleted gets a new incident in the same cycle, its note naming the deleted one', async () => {
    w = await startHandlerWorld();
    const finding = newFinding(w.h, 'us-east-1', { serviceCount: 1 });
    const other = newFinding(w.h, 'us-east-1');
    await w.cycle();
    const deleted = incidentOf(w.h, finding.id).id;
    const kept = incidentOf(w.h, other.id);
    expect(w.h.soar.deleteIncidents([deleted])).toBe(true);
    changeFinding(w.h, finding.id, (f) => (f.service.count = 5));
    w.h.soar.resetCalls();

    const report = await runCycle(w.deps);

    expect(report.ok).toBe(true);
    expect(sum(report, 'failed')).toBe(0);
    expect(sum(report, 'recreated')).toBe(1);
    const [recreated, ...more] = incidentsOf(w.h, finding.id);
    expect(more).toEqual([]);
    expect(recreated?.id).not.toBe(deleted);
    expect(recreated?.properties.aws_guardduty_count).toBe('5');
    expect(recreated?.planStatus).toBe('A');
    expect(recreated?.tables.gd_finding_overview).toHaveLength(1);
    expect(laterNotes(recreated)).toEqual([expect.stringContaining(`its previous incident ${deleted} no longer exists in SOAR`)]);
    // The other finding's incident is left alone.
    expect(incidentOf(w.h, other.id)).toEqual(kept);
    expect(await w.app.metrics.text()).toMatch(/guardduty_soar_findings_total\{outcome="recreated",region="us-east-1"\} 1/);
    // Healed: the next cycle has nothing to do for it.
    w.h.soar.resetCalls();
    const next = await runCycle(w.deps);
    expect(sum(next, 'recreated') + sum(next, 'failed')).toBe(0);
    expect(soarCalls(w.h, 'POST /incidents')).toBe(0);
  });

  it('an unchanged finding whose incident was deleted is found by the rolling check of open links, and recreated in that cycle', async () => {
    w = await startHandlerWorld();
    const quiet = newFinding(w.h, 'us-east-1');
    await w.cycle();
    const deleted = incidentOf(w.h, quiet.id).id;
    w.h.soar.deleteIncidents([deleted]);

    // Checked moments ago (at creation): nothing to ask SOAR yet, and GuardDuty has nothing new.
    w.h.soar.resetCalls();
    const unnoticed = await runCycle(w.deps);
    expect(sum(unnoticed, 'recreated')).toBe(0);
    expect(soarCalls(w.h, 'POST /incidents/query')).toBe(0);
    expect(incidentsOf(w.h, quiet.id)).toEqual([]);

    // As if half a polling interval had passed: the cycle checks the open links, one query.
    withStore(w.h, (s) => s.db.prepare('UPDATE links SET verified_at = 0').run());
    w.h.soar.resetCalls();
    const report = await runCycle(w.deps);
    expect(report.ok).toBe(true);
    expect(sum(report, 'recreated')).toBe(1);
    expect(sum(report, 'unchanged')).toBe(0);
    expect(soarCalls(w.h, 'POST /incidents/query')).toBe(1);
    expect(soarCalls(w.h, 'POST /incidents/query_paged')).toBe(2);
    const [recreated, ...more] = incidentsOf(w.h, quiet.id);
    expect(more).toEqual([]);
    expect(laterNotes(recreated)).toEqual([expect.stringContaining(`previous incident ${deleted} no longer exists`)]);
    const status = withStore(w.h, (s) => s.getMeta('links_verified'));
    expect(JSON.parse(status ?? '{}')).toMatchObject({ scope: 'cycle', checked: 1, missing: 1, refused: false });
  });

  it('a create cut short while recreating is finished by the next cycle: one new incident, one note naming the deleted one', async () => {
    h = await startHarness({ findings: 0 });
    const finding = newFinding(h);
    expect((await h.once()).code).toBe(0);
    const deleted = incidentOf(h, finding.id).id;
    h.soar.deleteIncidents([deleted]);
    changeFinding(h, finding.id, (f) => (f.service.count = 3));
    // SOAR creates the new incident, then its answer is lost and SOAR cannot be asked about it either.
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode: 'after' });
    expect((await h.once()).code).toBe(1);
    expect((await h.once()).code).toBe(0);
    const [recreated, ...more] = incidentsOf(h, finding.id);
    expect(more).toEqual([]);
    expect(recreated?.properties.aws_guardduty_count).toBe('3');
    expect(laterNotes(recreated)).toEqual([expect.stringContaining(`previous incident ${deleted} no longer exists`)]);
    expect(withStore(h, (s) => s.ops.all())).toEqual([]);
  });
});

describe('incidents deleted while the daemon was stopped', () => {
  it('a few deleted incidents are found at start and recreated by the first cycle; check warns, status counts them', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 10, region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    const lost = h.incidents().slice(0, 2).map((i) => ({ id: i.id, findingId: String(i.properties.aws_guardduty_finding_id) }));
    h.soar.deleteIncidents(lost.map((l) => l.id));

    const checked = await check(h);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toMatch(/WARN +State database: 2 of 10 linked incidents sampled no longer exist in org "Demo Org" .*the next cycle opens a new incident for each/);

    const run = await h.cli(['once', '--config', h.configPath]);
    expect(run.code, run.stderr).toBe(0);
    expect(regionSummaries(run.stdout)).toEqual([expect.objectContaining({ recreated: 2, unchanged: 8, failed: 0 })]);
    expect(logLines(run.stdout).find((l) => l.message === 'Linked incidents no longer exist in SOAR')).toMatchObject({ checked: 10, missing: 2 });
    for (const { id, findingId } of lost) {
      const [recreated, ...more] = incidentsOf(h, findingId);
      expect(more).toEqual([]);
      expect(laterNotes(recreated)).toEqual([expect.stringContaining(`previous incident ${id} no longer exists in SOAR`)]);
    }
    expect(h.incidents()).toHaveLength(10);

    const status = JSON.parse((await h.cli(['status', '--json', '--config', h.configPath])).stdout) as StatusReport;
    expect(status.links.known).toMatchObject({ synced: 10, pending: 0, incidentDeleted: 0, recreated: 2 });
    expect(status.links.verified).toMatchObject({ scope: 'start', checked: 10, missing: 2, refused: false });
    const text = (await h.cli(['status', '--config', h.configPath])).stdout;
    expect(text).toContain('Links: 10 (synced 10, pending 0, finding gone 0, incident deleted 0)');
    expect(text).toContain('  recreated 2: a new incident replaced one that no longer existed in SOAR');
    expect(text).toMatch(/Verified against SOAR: \S+Z \(\d+s ago, sample at start\): 10 linked incidents checked, 2 missing\./);
  });

  it('with aws_gd_deleted_incident = forget the finding is not escalated again; switched to recreate, its next update brings it back', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$', aws_gd_deleted_incident: 'forget' } });
    const finding = newFinding(h);
    const other = newFinding(h);
    expect((await h.once()).code).toBe(0);
    const deleted = incidentOf(h, finding.id).id;
    h.soar.deleteIncidents([deleted]);
    changeFinding(h, finding.id, (f) => (f.service.count = 2));

    const run = await h.once();
    expect(run.code, run.stderr).toBe(0);
    expect(incidentsOf(h, finding.id)).toEqual([]);
    expect(incidentOf(h, other.id).notes).toHaveLength(1);
    expect(regionSummaries(run.stdout)).toEqual([expect.objectContaining({ recreated: 0, skipped: 1, skippedBy: expect.stringContaining('1 whose incident no longer exists in SOAR') })]);
    const status = (await h.cli(['status', '--config', h.configPath])).stdout;
    expect(status).toContain('incident deleted 1)');
    expect(status).toContain('  incident deleted 1, forgotten: the incident no longer exists in SOAR and its finding is not escalated again');

    h.configure({ aws_gd_deleted_incident: 'recreate' });
    changeFinding(h, finding.id, (f) => (f.service.count = 3));
    const back = await h.once();
    expect(back.code, back.stderr).toBe(0);
    const [recreated, ...more] = incidentsOf(h, finding.id);
    expect(more).toEqual([]);
    expect(recreated?.properties.aws_guardduty_count).toBe('3');
    expect(laterNotes(recreated)).toEqual([expect.stringContaining(`previous incident ${deleted} no longer exists`)]);
  });
});

describe('a database that does not belong to this org', () => {
  it('SOAR emptied (emulate restarted, the database kept): refused loudly naming the database and the fix, nothing created; a fresh database escalates everything', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 20, region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    // The emulator restarted: an empty org of the same id, whose new incidents reuse the old ids.
    h.soar.reset();
    expect((await h.setup()).code).toBe(0);
    h.aws.generateFindings({ count: 1, region: 'us-east-1' });

    const checked = await check(h);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`FAIL  State database: The state database ${h.dbPath} does not belong to SOAR org "Demo Org"`);
    expect(checked.stdout).toMatch(/20 of 20 incidents it links \(a random sample\) do not exist there.*Fix: point aws_gd_db_path at a fresh file/);
    expect(checked.stdout).not.toContain('All checks passed');

    // Refused at every start, the built CLI's as the in-process command's.
    for (const refused of [await h.cli(['once', '--config', h.configPath]), await h.once()]) {
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`The state database ${h.dbPath} does not belong to SOAR org "Demo Org"`);
      expect(refused.stderr).toContain('Fix: point aws_gd_db_path at a fresh file for this org');
      expect(h.incidents()).toEqual([]);
    }
    const status = (await h.cli(['status', '--config', h.configPath])).stdout;
    expect(status).toMatch(/Verified against SOAR: .*20 linked incidents checked, 20 missing; most are missing, so the database was refused/);

    h.configure({ aws_gd_db_path: `${h.dir}/fresh.db` });
    const fresh = await h.once();
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(h.incidents()).toHaveLength(21);
  });

  it('run stops with exit 1 on such a database instead of retrying it every cycle', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    h.aws.generateFindings({ count: 6, region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    h.soar.reset();
    expect((await h.setup()).code).toBe(0);
    const run = await h.cli(['run', '--config', h.configPath, '--health-host', '127.0.0.1'], { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Refusing the state database: The state database ${h.dbPath} does not belong to SOAR org "Demo Org"`);
    expect(h.incidents()).toEqual([]);
  });

  it('a database written for another org id is refused before anything is asked of its links', async () => {
    h = await startHarness({ findings: 2, config: { aws_gd_regions: '^us-east-1$' } });
    expect((await h.once()).code).toBe(0);
    withStore(h, (s) => s.setMeta('soar_org', JSON.stringify({ id: 999, name: 'Other Org' })));
    const refused = await h.once();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`The state database ${h.dbPath} was written for SOAR org "Other Org" (id 999); this configuration reaches org "Demo Org" (id ${h.soar.orgId})`);
    expect(refused.stderr).toContain('set [resilient] org back to it');
  });
});
