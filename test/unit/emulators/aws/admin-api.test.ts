import { ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsEmulator, type AwsEmulator } from '../../../../emulators/aws/index.js';
import { clients } from './sdk-clients.js';

describe('admin API over HTTP', () => {
  let emu: AwsEmulator;
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}/__admin/${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
     
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    emu = await startAwsEmulator({ regions: ['us-east-1', 'eu-west-1'], seed: 5 });
  });
  afterAll(() => emu.close());

  it('summarises the state', async () => {
    const { status, json } = await admin('GET', 'state');
    expect(status).toBe(200);
    expect(json.accounts[0]).toMatchObject({ accountId: '123456789012', acceptAnyAccessKey: true, roles: ['GuardDutySoar'] });
    expect(json.accounts[0].detectors.map((d: { region: string }) => d.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect((await admin('GET', 'detectors')).json).toEqual(emu.detectors);
  });

  it('adds generated findings with overrides, and full wire findings', async () => {
    const gen = await admin('POST', 'findings', { generate: { count: 3, region: 'eu-west-1', type: 'Policy:S3/BucketBlockPublicAccessDisabled', severity: 3.5, updatedAt: '2025-05-01T10:00:00.000Z' } });
    expect(gen.status).toBe(200);
    expect(gen.json.findings).toHaveLength(3);
    expect(gen.json.findings[0]).toMatchObject({ region: 'eu-west-1', severity: 3.5, updatedAt: '2025-05-01T10:00:00.000Z', type: 'Policy:S3/BucketBlockPublicAccessDisabled' });
    const full = await admin('POST', 'findings', { findings: [{ id: 'c'.repeat(32), type: 'Recon:EC2/Portscan', severity: 5, region: 'us-east-1', resource: { resourceType: 'Instance' } }] });
    expect(full.json.findings[0]).toMatchObject({
      id: 'c'.repeat(32), accountId: '123456789012',
      arn: `arn:aws:guardduty:us-east-1:123456789012:detector/${emu.detectors['us-east-1']}/finding/${'c'.repeat(32)}`,
      service: { detectorId: emu.detectors['us-east-1'], archived: false, count: 1 },
    });
    const listed = await clients(emu.url).gd.send(new ListFindingsCommand({ DetectorId: emu.detectors['us-east-1'] }));
    expect(listed.FindingIds).toEqual(['c'.repeat(32)]);
  });

  it('updates a finding like a recurrence, archives, unarchives and deletes', async () => {
    const id = 'c'.repeat(32);
    const before = (await admin('GET', `findings/${id}`)).json.finding;
    const updated = await admin('PATCH', `findings/${id}`, { recur: 2, severity: 7 });
    expect(updated.json.finding.service.count).toBe(before.service.count + 2);
    expect(updated.json.finding.severity).toBe(7);
    expect(Date.parse(updated.json.finding.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt) - 1);
    expect(updated.json.finding.service.eventLastSeen).toBe(updated.json.finding.updatedAt);
    expect((await admin('POST', 'findings/archive', { ids: [id] })).json).toEqual({ changed: 1 });
    expect((await admin('GET', 'findings?archived=true&region=us-east-1')).json.findings.map((f: { id: string }) => f.id)).toEqual([id]);
    expect((await admin('POST', 'findings/unarchive', { ids: [id] })).json).toEqual({ changed: 1 });
    expect((await admin('DELETE', `findings/${id}`)).json).toEqual({ deleted: 1 });
    expect((await admin('GET', `findings/${id}`)).status).toBe(404);
    expect((await admin('PATCH', `findings/${id}`, { recur: 1 })).status).toBe(404);
  });

  it('reads and resets the call counts', async () => {
    await clients(emu.url).gd.send(new ListFindingsCommand({ DetectorId: emu.detectors['us-east-1'] }));
    const calls = await admin('GET', 'calls');
    expect(calls.json.counts['guardduty:ListFindings']).toBeGreaterThanOrEqual(1);
    expect(calls.json.records.at(-1)).toMatchObject({ service: 'guardduty', operation: 'ListFindings', attempt: 1, status: 200, region: 'us-east-1' });
    await admin('DELETE', 'calls');
    expect((await admin('GET', 'calls')).json.counts).toEqual({});
  });

  it('sets and clears faults', async () => {
    const { json } = await admin('POST', 'faults', { service: 'guardduty', operation: 'ListFindings', failNext: 1, statuses: [429] });
    expect(json.id).toMatch(/^fault-/);
    expect((await admin('GET', 'faults')).json.faults).toHaveLength(1);
    const out = await clients(emu.url).gd.send(new ListFindingsCommand({ DetectorId: emu.detectors['us-east-1'] }));
    expect(out.$metadata.attempts).toBe(2);
    expect((await admin('GET', 'faults')).json.faults[0].triggered).toBe(1);
    await admin('DELETE', `faults/${json.id}`);
    expect((await admin('GET', 'faults')).json.faults).toEqual([]);
  });

  it('adds accounts and roles', async () => {
    const added = await admin('POST', 'accounts', { accountId: '333333333333', accessKeys: ['AKIATHIRD00000000001'], regions: ['us-east-1'], administrator: '123456789012' });
    expect(added.json.detectors['us-east-1']).toMatch(/^[0-9a-f]{32}$/);
    expect((await admin('POST', 'accounts/333333333333/roles', { name: 'Auditor', externalId: 'e1' })).status).toBe(200);
    const state = (await admin('GET', 'state')).json;
    expect(state.accounts.find((a: { accountId: string }) => a.accountId === '123456789012').members).toEqual(['333333333333']);
    expect((await admin('POST', 'accounts', { accountId: '333333333333' })).status).toBe(400);
  });

  it('validates bodies with a list of issues', async () => {
    const bad = await admin('POST', 'faults', { service: 'lambda', errorRate: 2, typo: true });
    expect(bad.status).toBe(400);
    expect(bad.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['', 'errorRate', 'service']);
    expect((await admin('POST', 'findings', { generate: { type: 'Nope:EC2/Nothing' } })).status).toBe(400);
    expect((await admin('GET', 'nothing-here')).status).toBe(404);
  });
});
