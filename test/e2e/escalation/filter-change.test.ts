import { afterEach, describe, expect, it } from 'vitest';
import type { WireFinding } from '../../../emulators/aws/index.js';
import { statusCommand } from '../../../src/commands/status.js';
import type { StatusReport } from '../../../src/commands/status-read.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const HOUR = 3_600_000;

/** Real (not sample) findings: the generated ones without their `sample` marker. */
function realFindings(count: number, updatedAt: number): WireFinding[] {
  const generated = h.aws.generateFindings({ count, region: 'us-east-1', type: 'UnauthorizedAccess:EC2/SSHBruteForce' });
  return h.aws.addFindings(generated.map((f) => {
    const copy = structuredClone(f) as WireFinding & { service: { additionalInfo?: unknown } };
    delete copy.service.additionalInfo;
    copy.updatedAt = new Date(updatedAt).toISOString();
    return copy;
  }));
}

function incidentsPerFinding(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of h.incidents()) {
    const id = String(i.properties.aws_guardduty_finding_id);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('findings are never lost to a changed filter', () => {
  it('sample findings skipped (with the reason), then included: every one escalated at the next cycle, exactly once', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_include_sample_findings: 'false' } });
    // Sample findings two hours old: far behind the cursor the first cycle leaves (now − overlap).
    const samples = h.aws.generateFindings({ count: 10, region: 'us-east-1', updatedAt: Date.now() - 2 * HOUR });
    const real = realFindings(3, Date.now() - 60_000);

    const first = await h.once();
    expect(first.code).toBe(0);
    expect(h.incidents()).toHaveLength(3);
    const summary = logLines(first.stdout).find((l) => l.message === 'Region summary' && l.region === 'us-east-1');
    expect(summary).toMatchObject({ listed: 13, created: 3, skipped: 10, skippedBy: '10 sample findings (set aws_gd_include_sample_findings = true)' });

    // `status` (SQLite only) counts them by reason too, in both forms.
    const io = h.io();
    expect(statusCommand(io, { config: h.configPath })).toBe(0);
    expect(io.out()).toContain('us-east-1: skipped 10: 10 sample findings (set aws_gd_include_sample_findings = true)');
    const json = h.io();
    statusCommand(json, { config: h.configPath, json: true });
    const region = (JSON.parse(json.out()) as StatusReport).regions.find((r) => r.region === 'us-east-1');
    expect(region?.skipped).toMatchObject({ total: 10, byReason: { sample: 10 } });

    h.configure({ aws_gd_include_sample_findings: 'true' });
    const second = await h.once();
    expect(second.code).toBe(0);
    const change = logLines(second.stdout).find((l) => String(l.message).startsWith('Settings that decide which findings are escalated changed'));
    expect(change).toMatchObject({
      changed: { aws_gd_include_sample_findings: { from: 'false', to: 'true' } },
      rereadFrom: 'every finding GuardDuty retains',
    });
    const perFinding = incidentsPerFinding();
    for (const f of [...samples, ...real]) expect(perFinding.get(f.id), f.id).toBe(1);
    expect(h.incidents()).toHaveLength(13);
    expect(logLines(second.stdout).find((l) => l.message === 'Region summary' && l.region === 'us-east-1'))
      .toMatchObject({ created: 10, skipped: 0 });

    // The re-read is owed once: the next cycle lists from the cursor again (only the overlap, where
    // the three real findings lie) and creates nothing.
    const third = await h.once();
    expect(third.code).toBe(0);
    expect(logLines(third.stdout).some((l) => String(l.message).startsWith('Settings that decide'))).toBe(false);
    expect(logLines(third.stdout).find((l) => l.message === 'Region summary' && l.region === 'us-east-1')).toMatchObject({ listed: 3, created: 0 });
    expect(h.incidents()).toHaveLength(13);
  });

  it('a lowered severity threshold re-reads from the lookback when the previous settings are younger', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_severity_threshold: '7', aws_gd_lookback_interval: '180' } });
    const low = h.aws.generateFindings({ count: 4, region: 'us-east-1', severity: 3, updatedAt: Date.now() - 2 * HOUR });
    const older = h.aws.generateFindings({ count: 2, region: 'us-east-1', severity: 3, updatedAt: Date.now() - 5 * HOUR });
    h.aws.generateFindings({ count: 2, region: 'us-east-1', severity: 8, updatedAt: Date.now() - 60_000 });
    await h.once();
    expect(h.incidents()).toHaveLength(2);

    h.configure({ aws_gd_severity_threshold: '1' });
    const second = await h.once();
    const change = logLines(second.stdout).find((l) => String(l.message).startsWith('Settings that decide'));
    expect(change).toMatchObject({ changed: { aws_gd_severity_threshold: { from: '7', to: '1' } } });
    // From the lookback (3 h): the findings of 2 h ago qualify now; those of 5 h ago lie before it.
    expect(Date.parse(String(change?.rereadFrom))).toBeLessThan(Date.now() - 179 * 60_000);
    const perFinding = incidentsPerFinding();
    for (const f of low) expect(perFinding.get(f.id), f.id).toBe(1);
    for (const f of older) expect(perFinding.get(f.id)).toBeUndefined();
    expect(h.incidents()).toHaveLength(6);
  });
});
