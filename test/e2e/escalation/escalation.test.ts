import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_FINDING_TYPES } from '../../../emulators/aws/index.js';
import type { AdminIncident } from '../../../emulators/soar/index.js';
import { changeFinding, findingOf, incidentOf, loseAnswerAndLookup, SOAR_OPS, withStore } from '../../helpers/sync-helpers.js';
import { logLines, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** Findings as GuardDuty holds them (wire format), by id. */
function wire(h: Harness, id: string): Record<string, any> {
  return h.aws.getFinding(id) as Record<string, any>;
}

describe('escalation: every finding becomes a complete incident', () => {
  it('creates one incident per finding with the fields, note, artifacts and rows a responder needs', async () => {
    h = await startHarness({ findings: SAMPLE_FINDING_TYPES.length });
    const result = await h.once();
    expect(result.code).toBe(0);
    // The cycle's line says what the SOAR concurrency did; a healthy SOAR throttles nothing.
    const cycle = logLines(result.stdout).find((l) => l.message === 'Cycle finished');
    expect(cycle?.soarConcurrency).toEqual({
      limit: expect.any(Number), lowest: expect.any(Number), highest: expect.any(Number), raises: expect.any(Number), cuts: expect.any(Number), throttled: 0,
    });
    const ids = h.findingIds();
    expect(ids).toHaveLength(SAMPLE_FINDING_TYPES.length);
    expect(h.incidents()).toHaveLength(ids.length);
    for (const id of ids) {
      const f = wire(h, id);
      const incident = h.incidentFor(id);
      expect(incident, `incident for ${f.type}`).toBeDefined();
      if (!incident) continue;
      expect(incident.name).toBe(`AWS GuardDuty: ${f.title}`);
      expect(incident.discoveredDate).toBe(Date.parse(f.createdAt));
      expect(incident.properties).toMatchObject({
        aws_guardduty_finding_id: id,
        aws_guardduty_finding_arn: f.arn,
        aws_guardduty_finding_type: f.type,
        aws_guardduty_finding_updated_at: f.updatedAt,
        aws_guardduty_region: f.region,
        aws_guardduty_account_id: f.accountId,
        aws_guardduty_severity: String(f.severity),
        aws_guardduty_resource_type: f.resource.resourceType,
        aws_guardduty_detector_id: f.service.detectorId,
        aws_guardduty_count: String(f.service.count),
        aws_guardduty_archived: 'False',
        aws_guardduty_trigger_refresh: false,
      });
      const band = f.severity >= 7 ? 'High' : f.severity >= 4 ? 'Medium' : 'Low';
      expect(incident.severity).toBe(band);
      // The first note tells the story (title, what, when, where), then holds the whole finding as
      // JSON a responder can read and copy, in a collapsed block that keeps its indentation.
      const story = incident.notes[0];
      expect(story?.format).toBe('html');
      expect(story?.text.startsWith(`${f.title}\n`)).toBe(true);
      expect(story?.text).toContain(`What: ${f.type}, severity ${f.severity}`);
      expect(story?.text).toContain(`Where: AWS account ${f.accountId}, region ${f.region}`);
      expect(story?.text).toContain(`The whole finding as GuardDuty sent it (JSON): ${id}`);
      expect(story?.text).toContain(`\n  "Id": "${id}",\n`);
      expect(incident.tables.gd_finding_overview?.[0]?.cells).toMatchObject({ region: f.region, count: String(f.service.count), account_id: f.accountId });
      expect(incident.artifacts.length).toBeGreaterThan(0);
      const pairs = incident.artifacts.map((a) => `${a.type}|${a.value}`);
      expect(new Set(pairs).size).toBe(pairs.length);
      for (const a of incident.artifacts) expect(a.description).toMatch(/GuardDuty finding field \w/);
    }
  });

  it('maps multi-valued details to one row each: two buckets, two probe details, every network interface', async () => {
    h = await startHarness({ findings: SAMPLE_FINDING_TYPES.length });
    await h.once();
    for (const incident of h.incidents()) {
      const f = wire(h, String(incident.properties.aws_guardduty_finding_id));
      const buckets = f.resource.s3BucketDetails ?? [];
      expect(incident.tables.gd_s3_bucket_details?.length ?? 0).toBe(buckets.length);
      for (const b of buckets) expect(incident.artifacts).toContainEqual(expect.objectContaining({ type: 'aws_s3_bucket_name', value: b.name }));
      const probes = f.service.action?.portProbeAction?.portProbeDetails ?? [];
      if (probes.length > 0) {
        expect(incident.tables.gd_action_details).toHaveLength(probes.length);
        for (const p of probes) {
          expect(incident.artifacts).toContainEqual(expect.objectContaining({ type: 'IP Address', value: p.remoteIpDetails.ipAddressV4 }));
          expect(incident.artifacts).toContainEqual(expect.objectContaining({ type: 'Port', value: String(p.localPortDetails.port) }));
        }
      }
      const nics = f.resource.instanceDetails?.networkInterfaces ?? [];
      if (nics.length > 0) expect(incident.tables.gd_instance_details).toHaveLength(nics.length);
      const key = f.resource.accessKeyDetails?.accessKeyId;
      if (key) expect(incident.artifacts).toContainEqual(expect.objectContaining({ type: 'aws_iam_access_key_id', value: key }));
    }
    expect(h.incidents().some((i) => (i.tables.gd_s3_bucket_details?.length ?? 0) === 2)).toBe(true);
    expect(h.incidents().some((i) => (i.tables.gd_action_details?.length ?? 0) === 2)).toBe(true);
  });

  it('keeps attacker-chosen text exactly as written, without letting it change the incident', async () => {
    h = await startHarness({ findings: 0 });
    const title = 'Evil", "plan_status": "C", "x": "<script>alert(1)</script> {{ 7*7 }} \u202e ✓';
    const [finding] = h.aws.generateFindings({ count: 1, region: 'us-east-1', title, severity: 9.6, updatedAt: Date.now() });
    await h.once();
    const incident = h.incidentFor(String(finding?.id));
    expect(incident?.name).toBe(`AWS GuardDuty: ${title}`);
    expect(incident?.planStatus).toBe('A');
    expect(incident?.severity).toBe('High');
    expect(incident?.properties.aws_guardduty_severity).toBe('9.6');
  });
});

describe('nothing missed, nothing duplicated', () => {
  it('a second cycle creates nothing and costs one ListFindings and one GetFindings per region, two SOAR queries', async () => {
    h = await startHarness({ findings: 40 });
    expect((await h.once()).code).toBe(0);
    const created = h.incidents().length;
    h.aws.resetCalls();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(created);
    const aws = h.aws.calls().counts;
    const regions = Object.keys(h.aws.detectors).length;
    expect(aws['guardduty:ListFindings']).toBe(regions);
    expect(aws['guardduty:GetFindings']).toBe(regions);
    // Once per process: the org, the schema check and one query for a sample of the linked incidents
    // (is the state database this org's?); the cycle itself makes only the two queries (closed
    // incidents, refresh requests): its check of open links is skipped, the sample having just verified them.
    expect(h.soar.calls().counts).toEqual({
      'GET /rest/session': 1,
      'GET /rest/orgs/{org}/types/{type}/fields': 1, 'GET /rest/orgs/{org}/types': 1, 'GET /rest/orgs/{org}/artifact_types': 1,
      'POST /rest/orgs/{org}/incidents/query': 1,
      'POST /rest/orgs/{org}/incidents/query_paged': 2,
    });
  });

  it('refuses to escalate into an org where setup has not been run, says what is missing and what to run, and creates nothing', async () => {
    h = await startHarness({ findings: 5, setup: false });
    const refused = await h.once();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('lacks what guardduty-soar needs: incident field aws_guardduty_finding_id');
    expect(refused.stderr).toContain('Run "guardduty-soar setup"');
    expect(h.incidents()).toHaveLength(0);
    expect(h.soar.calls().counts['POST /rest/orgs/{org}/incidents']).toBeUndefined();

    expect((await h.setup()).code).toBe(0);
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(5);
  });

  it('spends two AWS calls per 50 new findings in a region', async () => {
    h = await startHarness({ findings: 0 });
    h.aws.generateFindings({ count: 120, region: 'us-east-2' });
    h.aws.resetCalls();
    await h.once();
    const aws = h.aws.calls().counts;
    // One listing page and one GetFindings batch per 50 (regions without findings: one empty page).
    expect(aws['guardduty:GetFindings']).toBe(3);
    expect(aws['guardduty:ListFindings']).toBe(3 + (Object.keys(h.aws.detectors).length - 1));
    expect(h.incidents()).toHaveLength(120);
  });

  it('a SOAR that refuses more than 3 requests at once (429, Retry-After): the concurrency comes down to 3, every finding once', async () => {
    h = await startHarness({ findings: 40, soar: { latencyMs: 20 } });
    h.soar.addFault({ maxInFlight: 3, retryAfterSeconds: 1 });
    const result = await h.once();
    expect(result.code).toBe(0);
    const ids = h.incidents().map((i) => i.properties.aws_guardduty_finding_id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    const lines = logLines(result.stdout);
    const cycle = lines.find((l) => l.message === 'Cycle finished')?.soarConcurrency as Record<string, number>;
    expect(cycle.throttled).toBeGreaterThan(0);
    expect(cycle.cuts).toBeGreaterThan(0);
    expect(cycle.limit).toBeLessThanOrEqual(3);
    expect(lines.find((l) => l.message === 'SOAR is throttling: concurrency cut')).toMatchObject({ retryAfterMs: 1_000, ceiling: 16 });
    // The refusals are few: the limit stays below the refused level instead of probing it again and again.
    const refused = h.soar.calls().records.filter((r) => r.status === 429).length;
    expect(refused).toBe(cycle.throttled);
    expect(refused / h.soar.calls().records.length).toBeLessThan(0.05);
    const status = await h.cli(['status', '--json', '--config', h.configPath]);
    expect(JSON.parse(status.stdout).soarConcurrency).toMatchObject({ limit: cycle.limit, floor: 1, ceiling: 16, throttled: cycle.throttled });
  });

  it('a create whose answer was lost is found again, not repeated', async () => {
    h = await startHarness({ findings: 6 });
    // SOAR creates the incident, then the answer is lost (500 after processing): found in the same call.
    h.soar.failNext('POST /rest/orgs/{org}/incidents', 1, { mode: 'after', statuses: [500] });
    const first = await h.once();
    expect(first.code).toBe(0);
    expect(h.incidents()).toHaveLength(6);
    for (const incident of h.incidents()) expect(incident.tables.gd_finding_overview).toHaveLength(1);
    // And when SOAR cannot be asked at once either (its lookup refused), by the next cycle.
    h.aws.generateFindings({ count: 3, region: 'us-east-1', updatedAt: Date.now() - 1_000 });
    loseAnswerAndLookup(h, SOAR_OPS.createIncident, SOAR_OPS.queryIncidents, { mode: 'after' });
    expect((await h.once()).code).toBe(1);
    expect(h.incidents()).toHaveLength(9);
    const second = await h.once();
    expect(second.code).toBe(0);
    expect(h.incidents()).toHaveLength(9);
    // The recovered incident got its data-table rows too.
    for (const incident of h.incidents()) expect(incident.tables.gd_finding_overview).toHaveLength(1);
  });

  it('a row whose answer was lost is not written twice', async () => {
    h = await startHarness({ findings: 4 });
    h.soar.failNext(SOAR_OPS.addRow, 1, { mode: 'after', statuses: [502] });
    expect((await h.once()).code).toBe(0);
    // And when SOAR cannot be asked at once either (its lookup refused), by the next cycle.
    h.aws.generateFindings({ count: 2, region: 'us-east-1', updatedAt: Date.now() - 1_000 });
    loseAnswerAndLookup(h, SOAR_OPS.addRow, SOAR_OPS.listRows, { mode: 'after', status: 502 });
    expect((await h.once()).code).toBe(1);
    expect((await h.once()).code).toBe(0);
    for (const incident of h.incidents()) {
      for (const [table, rows] of Object.entries(incident.tables)) {
        const contents = rows.map((r) => JSON.stringify({ ...r.cells, query_execution_date: undefined }));
        expect(new Set(contents).size, `${table} of incident ${incident.id}`).toBe(contents.length);
      }
    }
  });

  it('an empty database next to a populated SOAR is rebuilt from SOAR before anything is created', async () => {
    h = await startHarness({ findings: 10 });
    await h.once();
    const before = h.incidents().map((i) => i.id);
    // A responder closes an incident while the database is lost: the rebuilt state still archives its finding.
    const closed = h.incidents()[0];
    if (!closed) throw new Error('no incident');
    h.soar.closeIncident(closed.id, { resolution: 'Resolved', summary: 'Handled.' });
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(h.dbPath + suffix, { force: true });
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(h.incidents().map((i) => i.id)).toEqual(before);
    expect(h.soar.calls().counts['POST /rest/orgs/{org}/incidents'] ?? 0).toBe(0);
    expect(findingOf(h, String(closed.properties.aws_guardduty_finding_id)).service.archived).toBe(true);
    expect(incidentOf(h, String(closed.properties.aws_guardduty_finding_id)).properties.aws_guardduty_archived).toBe('True');
    const open = h.incidents().filter((i) => i.id !== closed.id);
    expect(open.every((i) => i.planStatus === 'A' && findingOf(h, String(i.properties.aws_guardduty_finding_id)).service.archived === false)).toBe(true);
  });

  it('a rebuild cut short is finished by the next start, without creating anything twice', async () => {
    h = await startHarness({ findings: 0 });
    // More incidents than one page (500) of the rebuild query.
    h.aws.generateFindings({ count: 510, region: 'us-east-1' });
    expect((await h.once()).code).toBe(0);
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(h.dbPath + suffix, { force: true });
    // The second page of the rebuild query fails: the start stops with 500 incidents adopted.
    h.soar.addFault({ operations: ['POST /rest/orgs/{org}/incidents/query_paged'], skipFirst: 1, failNext: 1, statuses: [400] });
    expect((await h.once()).code).toBe(1);
    h.soar.clearFaults();
    h.soar.resetCalls();
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(510);
    expect(h.soar.calls().counts['POST /rest/orgs/{org}/incidents'] ?? 0).toBe(0);
  });

  it('one region failing never stops the others, and it is retried next cycle from its own cursor', async () => {
    h = await startHarness({ findings: 0 });
    h.aws.generateFindings({ count: 5, region: 'us-east-1' });
    h.aws.generateFindings({ count: 5, region: 'eu-west-1' });
    h.aws.setFault({ service: 'guardduty', operation: 'ListFindings', region: 'eu-west-1', failNext: 3, statuses: [500] });
    const first = await h.once();
    expect(first.code).toBe(1);
    expect(h.incidents()).toHaveLength(5);
    const summary = first.stdout.split('\n').filter((l) => l.includes('"Region summary"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(summary.find((s) => s.region === 'eu-west-1')).toMatchObject({ error: expect.stringContaining('ListFindings') });
    expect((await h.once()).code).toBe(0);
    expect(h.incidents()).toHaveLength(10);
  });
});

describe('what is escalated', () => {
  it('honours the severity threshold and the lookback window of a first run', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_severity_threshold: '7', aws_gd_lookback_interval: '60' } });
    const now = Date.now();
    h.aws.generateFindings({ count: 2, region: 'us-east-1', severity: 8, updatedAt: now - 10 * 60_000 });
    h.aws.generateFindings({ count: 2, region: 'us-east-1', severity: 5, updatedAt: now - 10 * 60_000 });
    h.aws.generateFindings({ count: 2, region: 'us-east-1', severity: 9.5, updatedAt: now - 3 * 3_600_000 });
    await h.once();
    const escalated = h.incidents().map((i) => Number(i.properties.aws_guardduty_severity));
    expect(escalated).toEqual([8, 8]);
  });

  it('skips sample findings unless aws_gd_include_sample_findings is on', async () => {
    h = await startHarness({ findings: 5, config: { aws_gd_include_sample_findings: 'false' } });
    const result = await h.once();
    expect(result.code).toBe(0);
    expect(h.incidents()).toHaveLength(0);
  });
});

describe('input nobody planned for', () => {
  const oneOf = (type: string, change: (f: Record<string, any>) => void): string => {
    const [generated] = h.aws.generateFindings({ count: 1, region: 'us-east-1', type, updatedAt: Date.now() - 60_000 });
    const copy = structuredClone(generated) as Record<string, any>;
    change(copy);
    return String(h.aws.addFindings([copy])[0]?.id);
  };
  /** Every string a responder sees on the incident: name, fields, notes, rows, artifacts. */
  const texts = (i: AdminIncident): string[] => [
    i.name, ...Object.values(i.properties).filter((v): v is string => typeof v === 'string'), ...i.notes.map((n) => n.text),
    ...Object.values(i.tables).flatMap((rows) => rows.flatMap((r) => Object.values(r.cells).map(String))),
    ...i.artifacts.flatMap((a) => [a.value, a.description ?? '']),
  ];

  it('a finding dated years ahead never moves the cursor past now minus the overlap; it is suspect once, and later findings are escalated', async () => {
    h = await startHarness({ findings: 0 });
    const future = oneOf('Recon:EC2/PortProbeUnprotectedPort', (f) => {
      f.updatedAt = new Date(Date.now() + 5 * 365 * 86_400_000).toISOString();
    });
    const first = await h.once();
    expect(first.code).toBe(0);
    expect(h.incidentFor(future)).toBeDefined();
    const suspects = (out: string) => logLines(out).filter((l) => String(l.message).startsWith('Suspect finding') && l.findingId === future);
    expect(suspects(first.stdout)).toHaveLength(1);
    const cursor = withStore(h, (s) => s.cursors.all().find((c) => c.region === 'us-east-1')?.cursorMs);
    expect(cursor).toBeLessThanOrEqual(Date.now() - 5 * 60_000);

    const later = oneOf('UnauthorizedAccess:EC2/SSHBruteForce', (f) => {
      f.updatedAt = new Date().toISOString();
    });
    const second = await h.once();
    expect(h.incidentFor(later)).toBeDefined();
    expect(suspects(second.stdout)).toHaveLength(0);
    expect(h.incidents()).toHaveLength(2);
  });

  it('NUL and other control characters never reach SOAR: name, fields, notes, rows, artifacts', async () => {
    h = await startHarness({ findings: 0 });
    const id = oneOf('Backdoor:EC2/C&CActivity.B!DNS', (f) => {
      f.title = 'C2\u0000 beacon\u0007\u0085';
      f.description = 'first\u0000line\n\u001b[2Jsecond \ud800';
      f.service.action.dnsRequestAction.domain = 'evil\u0000.example.com';
      f.resource.instanceDetails.tags = [{ key: 'Name\u0001', value: 'web\u0000' }];
    });
    expect((await h.once()).code).toBe(0);
    const incident = incidentOf(h, id);
    expect(incident.name).toBe('AWS GuardDuty: C2\uFFFD beacon\uFFFD\uFFFD');
    for (const text of texts(incident)) {
      // eslint-disable-next-line no-control-regex -- the control characters that must not arrive
      expect(text).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/);
      expect(text).not.toMatch(/[\uD800-\uDFFF]/);
    }
    expect(incident.artifacts.map((a) => a.value)).toContain('evil\uFFFD.example.com');
  });

  it('one DNS Name artifact per domain whatever its case or trailing dot, also against what the incident already has', async () => {
    h = await startHarness({ findings: 0 });
    const id = oneOf('Backdoor:EC2/C&CActivity.B!DNS', (f) => {
      f.service.action.dnsRequestAction.domain = 'evil.example.com';
    });
    await h.once();
    const dnsNames = () => incidentOf(h, id).artifacts.filter((a) => a.type === 'DNS Name' && /evil\.example\.com/i.test(a.value));
    expect(dnsNames()).toHaveLength(1);
    changeFinding(h, id, (f) => {
      (f.service.action as Record<string, any>).dnsRequestAction.domain = 'Evil.Example.COM.';
      f.service.count += 1;
    });
    expect((await h.once()).code).toBe(0);
    expect(incidentOf(h, id).properties.aws_guardduty_count).toBe(String(findingOf(h, id).service.count));
    expect(dnsNames()).toHaveLength(1);
  });

  it('a number sent as a string is read; anything else refuses that finding alone, with the field named', async () => {
    h = await startHarness({ findings: 0 });
    const counted = oneOf('UnauthorizedAccess:EC2/SSHBruteForce', (f) => {
      f.service.count = '14';
    });
    const broken = oneOf('Recon:EC2/PortProbeUnprotectedPort', (f) => {
      f.service.action.portProbeAction.portProbeDetails[0].localPortDetails.port = 'twenty-two';
    });
    const fine = oneOf('Recon:EC2/PortProbeUnprotectedPort', () => undefined);
    const result = await h.once();
    expect(incidentOf(h, counted).properties.aws_guardduty_count).toBe('14');
    expect(incidentOf(h, counted).tables.gd_finding_overview?.[0]?.cells.count).toBe('14');
    expect(h.incidentFor(fine)).toBeDefined();
    expect(h.incidentFor(broken)).toBeUndefined();
    const refusal = logLines(result.stdout).find((l) => l.message === 'Finding not synced; it will be retried' && l.findingId === broken);
    expect(JSON.stringify(refusal)).toContain('Service.Action.PortProbeAction.PortProbeDetails[0].LocalPortDetails.Port is a string');
    // Recorded like any other failed finding: retried with backoff, visible in status.
    expect(withStore(h, (s) => s.ops.waitingKeys('sync-finding').filter((k) => k.endsWith(`/${broken}`)))).toHaveLength(1);
  });
});
