import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/commands/check.js';
import { setupCommand } from '../../../src/commands/setup.js';
import { soarRest } from '../support/apphost-soar-rest.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

/**
 * `setup` and the App Host package agree by construction: the package's export.res, imported into a
 * fresh org through SOAR's configuration import flow (as App Host and `resilient-circuits customize`
 * do it), leaves `check` with nothing to report and `setup` with nothing to do, without `setup`
 * ever having run.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Json = Record<string, unknown>;

/** export.res as python3's zipfile reads it from the package (the same module resilient-sdk uses). */
function exportResFromZip(zipPath: string): Json {
  const script = 'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({"names": z.namelist(), "res": json.load(z.open("export.res"))}))';
  const out = JSON.parse(execFileSync('python3', ['-c', script, zipPath], { encoding: 'utf8' })) as { names: string[]; res: Json };
  expect(out.names).toEqual(['app.json', 'export.res', expect.stringMatching(/^guardduty_soar-\d+\.\d+\.\d+.*\.tar\.gz$/)]);
  return out.res;
}

/** Empties every `tags` attribute, as resilient-circuits does before it imports (helpers.remove_tag). */
function removeTags(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(removeTags);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'tags' ? [] : removeTags(v)]));
}

async function check(harness: Harness): Promise<{ code: number; soarLines: string[]; out: string }> {
  const io = harness.io();
  const code = await checkCommand(io, { config: harness.configPath });
  const out = io.out();
  return { code, soarLines: out.split('\n').filter((l) => /^(OK|WARN|FAIL)\s+SOAR /.test(l)), out };
}

describe('App Host package: export.res imported through the import flow', () => {
  it('gives an org everything check looks for, without setup', async () => {
    h = await startHarness({ findings: 2, setup: false, config: { aws_gd_regions: '^(us-east-1|us-east-2|us-west-2|eu-west-1)$' } });
    const built = await h.cli(['package', '--out', 'pkg', '--image', 'registry.example.com/secops/guardduty-soar:1.2.3']);
    expect(built.code, built.stderr).toBe(0);
    const zipPath = /^Wrote (.*\.zip)$/m.exec(built.stdout)?.[1];
    expect(zipPath && path.dirname(zipPath)).toBe(path.join(h.dir, 'pkg'));

    // A fresh org: check fails on every customization (so the test below can fail too).
    const before = await check(h);
    expect(before.code).not.toBe(0);
    expect(before.soarLines.filter((l) => l.startsWith('FAIL')).length).toBeGreaterThanOrEqual(5);

    const exportRes = exportResFromZip(zipPath!);
    const posted = await soarRest(h, 'POST', '/configurations/imports', removeTags(exportRes));
    expect(posted.status).toBe(200);
    expect(posted.body.status).toBe('PENDING');
    const accepted = await soarRest(h, 'PUT', `/configurations/imports/${String(posted.body.id)}`, { ...posted.body, status: 'ACCEPTED' });
    expect(accepted.body.status, JSON.stringify(accepted.body.messages)).toBe('DONE');
    const messages = accepted.body.messages as { type: string; text: string }[];
    expect(messages.filter((m) => m.type !== 'info')).toEqual([]);
    // The playbooks call functions that exist after the import.
    const playbooks = (exportRes.playbooks as unknown[]).length;
    expect(playbooks).toBeGreaterThanOrEqual(13);
    expect(messages.filter((m) => m.text.startsWith('Checked playbook'))).toHaveLength(playbooks);

    // What App Host (and resilient-circuits customize, step 5) does next: the app's API key joins the destination.
    const session = await soarRest(h, 'GET', '/rest/session');
    const destinations = (await soarRest(h, 'GET', '/message_destinations')).body.entities as Json[];
    const destination = destinations.find((d) => d.programmatic_name === 'fn_aws_gd')!;
    const current = (await soarRest(h, 'GET', `/message_destinations/${String(destination.id)}`)).body;
    const joined = await soarRest(h, 'PUT', `/message_destinations/${String(destination.id)}`, { ...current, api_keys: [...(current.api_keys as unknown[]), session.body.api_key_handle] });
    expect(joined.status).toBe(200);

    const after = await check(h);
    expect(after.soarLines.filter((l) => !l.startsWith('OK')), after.out).toEqual([]);
    expect(after.soarLines.map((l) => l.replace(/^OK\s+/, '').split(':')[0])).toEqual(expect.arrayContaining([
      'SOAR custom incident fields', 'SOAR data tables', 'SOAR artifact types', 'SOAR function inputs',
      'SOAR message destination', 'SOAR destination membership', 'SOAR functions',
    ]));
    expect(after.code, after.out).toBe(0);

    const io = h.io();
    expect(await setupCommand(io, { config: h.configPath })).toBe(0);
    expect(io.out()).toContain('Nothing to do');
  });

  it('fails when a playbook calls a function neither the org nor the import has', async () => {
    h = await startHarness({ findings: 0, setup: false });
    const built = await h.cli(['package', '--out', 'pkg']);
    expect(built.code, built.stderr).toBe(0);
    const res = exportResFromZip(/^Wrote (.*\.zip)$/m.exec(built.stdout)![1]);
    const refresh = (res.functions as Json[]).find((f) => f.name === 'func_aws_guardduty_refresh_finding')!;
    const withoutRefresh = { ...res, functions: (res.functions as Json[]).filter((f) => f !== refresh) };
    const posted = await soarRest(h, 'POST', '/configurations/imports', withoutRefresh);
    const done = await soarRest(h, 'PUT', `/configurations/imports/${String(posted.body.id)}`, { ...posted.body, status: 'ACCEPTED' });
    expect(done.body.status).toBe('FAILED');
    expect(JSON.stringify(done.body.messages)).toContain(`Playbook example_aws_guardduty_refresh_finding_details_pb calls function ${String(refresh.uuid)}`);
  });
});
