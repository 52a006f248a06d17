import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../helpers/wait.js';
import { CLI, logLines, startHarness, type Harness } from '../../helpers/harness.js';
import fs from 'node:fs';
import { prepare, startApp } from '../../../src/app/start.js';
import { runCycle } from '../../../src/poller/run-cycle.js';
import { changeFinding, incidentOf, makeRetriesDue, withStore } from '../../helpers/sync-helpers.js';

/**
 * Every surface tells the truth (issue 17): the region summary adds up in every case, findings that
 * wait out a backoff are counted (and `once` says they are left, with exit code 1), and finishing
 * what an earlier run left half-written is "resumed", not "created". Through the real `once`
 * against the emulators; the numbers are read from its log lines and its stderr.
 */

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const OUTCOMES = ['created', 'resumed', 'updated', 'unchanged', 'skipped', 'closed', 'gone', 'failed', 'deferred', 'left'] as const;

function summaryOf(stdout: string): Record<string, unknown> {
  const summary = logLines(stdout).find((l) => l.message === 'Region summary' && l.region === 'us-east-1');
  if (!summary) throw new Error(`no region summary in\n${stdout}`);
  return summary;
}

/** listed + checked = created + resumed + updated + unchanged + skipped + closed + gone + failed + deferred + left */
function expectAddsUp(summary: Record<string, unknown>): void {
  const n = (k: string): number => Number(summary[k] ?? Number.NaN);
  const handled = OUTCOMES.reduce((sum, k) => sum + n(k), 0);
  expect(n('listed') + n('checked'), JSON.stringify(summary)).toBe(handled);
}

/** One finding of a type, changed before GuardDuty "returns" it (a malformed one, for instance). */
function oneOf(type: string, change: (f: Record<string, any>) => void = () => undefined): string {
  const [generated] = h.aws.generateFindings({ count: 1, region: 'us-east-1', type, updatedAt: Date.now() - 60_000 });
  const copy = structuredClone(generated) as Record<string, any>;
  change(copy);
  return String(h.aws.addFindings([copy])[0]?.id);
}

const brokenPort = (f: Record<string, any>): void => {
  f.service.action.portProbeAction.portProbeDetails[0].localPortDetails.port = 'twenty-two';
};

describe('the region summary adds up', () => {
  it('over created, failed, updated, unchanged, closed (checked, not listed), deferred by backoff, and a retried finding the listing returns too', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const [a, b, c, d] = [0, 1, 2, 3].map(() => oneOf('UnauthorizedAccess:EC2/SSHBruteForce'));
    const broken = oneOf('Recon:EC2/PortProbeUnprotectedPort', brokenPort);

    // 1: four created, one refused (its port is text): retried after a backoff, so `once` says what is left.
    const first = await h.once();
    const s1 = summaryOf(first.stdout);
    expect(s1).toMatchObject({ listed: 5, checked: 0, created: 4, failed: 1, deferred: 0, left: 0 });
    expectAddsUp(s1);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/Work left pending, so the exit code is 1: 1 finding\(s\) whose sync failed: 1 waiting out a backoff \(retried until \d{4}-\d\d-\d\dT[\d:.]+Z\)/);

    // 2: A archived in GuardDuty (not listed any more: checked, closed), B changed (updated), C and D
    // re-read in the cursor's overlap (unchanged), the broken one still waiting (deferred).
    h.aws.archiveFindings([a]);
    changeFinding(h, b, (f) => {
      f.service.count += 3;
    });
    const second = await h.once();
    const s2 = summaryOf(second.stdout);
    expect(s2).toMatchObject({ listed: 4, checked: 1, created: 0, updated: 1, unchanged: 2, closed: 1, deferred: 1, failed: 0, left: 0 });
    expectAddsUp(s2);
    expect(incidentOf(h, a).planStatus).toBe('C');
    // Nothing failed in this cycle, but a finding is still not in SOAR: exit 1, and when it is retried.
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('1 finding(s) whose sync failed: 1 waiting out a backoff');
    expect(logLines(second.stdout).find((l) => l.message === 'Work left pending; it is retried when due')).toMatchObject({
      total: 1, byKind: { 'sync-finding': { count: 1, waiting: 1, dueNow: 0 } },
    });

    // 3: the broken finding is fixed and its retry is due: the retry phase creates it, and when the
    // listing returns it too it is counted once, as listed.
    changeFinding(h, broken, (f) => {
      (f.service.action as Record<string, any>).portProbeAction.portProbeDetails[0].localPortDetails.port = 22;
    });
    makeRetriesDue(h, 'sync-finding');
    const third = await h.once();
    const s3 = summaryOf(third.stdout);
    expect(s3).toMatchObject({ listed: 4, checked: 0, created: 1, unchanged: 3, failed: 0, deferred: 0, left: 0 });
    expectAddsUp(s3);
    expect(third.code).toBe(0);
    expect(third.stderr).not.toContain('Work left pending');
    expect([c, d].map((id) => incidentOf(h, id).planStatus)).toEqual(['A', 'A']);
    expect(h.incidents()).toHaveLength(5);
  });
});

describe('finishing what an earlier run left half-written', () => {
  it('is counted as resumed, not created', async () => {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    const finding = oneOf('UnauthorizedAccess:EC2/SSHBruteForce');
    // Killed after the incident and its first row reached SOAR: the link is left `partial`.
    const fault = h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents/{id}/table_data/{table}/row_data'], answerDelayMs: 30_000 });
    let pid = 0;
    const killed = h.cli(['once', '--config', h.configPath], { onSpawn: (p) => (pid = p) });
    const rows = (): number => Object.values(h.incidentFor(finding)?.tables ?? {}).reduce((n, r) => n + r.length, 0);
    await until(() => rows() > 0, 'the first row reaching SOAR', { everyMs: 10 });
    process.kill(pid, 'SIGKILL');
    expect((await killed).code).toBe(128);
    h.soar.removeFault(fault.id);
    expect(withStore(h, (s) => s.links.inState('partial'))).toHaveLength(1);

    // The next run, in-process, so that its metrics can be read as /metrics would serve them.
    const io = h.io();
    const app = startApp(io, h.configPath, 'once');
    if (typeof app === 'number') throw new Error(`exit ${app}`);
    try {
      const report = await runCycle(await prepare(app));
      expect(report.ok).toBe(true);
      const summary = summaryOf(io.out());
      expect(summary).toMatchObject({ created: 0, resumed: 1, left: 0 });
      expectAddsUp(summary);
      const metrics = await app.metrics.text();
      expect(metrics).toContain('guardduty_soar_findings_total{outcome="resumed",region="us-east-1"} 1');
      expect(metrics).not.toContain('guardduty_soar_findings_total{outcome="created"');
    } finally {
      app.close();
    }
    expect(h.incidents()).toHaveLength(1);
    expect(withStore(h, (s) => s.links.inState('synced'))).toHaveLength(1);
  });
});
