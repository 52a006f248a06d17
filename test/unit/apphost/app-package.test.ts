import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_NAME, PERMISSION_HANDLES } from '../../../src/apphost/app-json.js';
import { buildAppPackage } from '../../../src/apphost/app-package.js';
import { packageCommand } from '../../../src/commands/package.js';
import type { Io } from '../../../src/app/app.js';
import { CUSTOM_ARTIFACT_TYPES } from '../../../src/artifacts/artifact-types.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { DATA_TABLE_SPECS } from '../../../src/datatables/table-definitions.js';
import { FUNCTIONS, FUNCTION_INPUTS, IBM_PLAYBOOKS, MESSAGE_DESTINATION } from '../../../src/functions/definitions.js';
import { CUSTOM_FIELDS } from '../../../src/incidents/custom-fields.js';
import { ConfigError } from '../../../src/core/errors.js';
import { bundledTemplatePaths } from '../../../src/incidents/bundled-templates.js';
import { readZip } from './zip-reader.js';

type Json = Record<string, any>;  

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const NOW = new Date(Date.UTC(2026, 11, 3, 12, 0, 0));

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function unpack(image?: string): { name: string; appJson: Json; exportRes: Json; appJsonText: string } {
  const pkg = buildAppPackage({ image, now: NOW });
  const files = readZip(pkg.zip);
  expect([...files.keys()]).toEqual(['app.json', 'export.res', `${APP_NAME}-${VERSION}.tar.gz`]);
  const appJsonText = files.get('app.json')!.toString('utf8');
  return { name: pkg.fileName, appJson: JSON.parse(appJsonText) as Json, exportRes: JSON.parse(files.get('export.res')!.toString('utf8')) as Json, appJsonText };
}

describe('app.json', () => {
  it('has every key resilient-sdk writes, sorted, with the SDK-derived uuid', () => {
    const { name, appJson, appJsonText } = unpack();
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(name).toBe(`app-${APP_NAME}-${version}.zip`);
    expect(Object.keys(appJson)).toEqual([
      'author', 'current_installation', 'description', 'display_name', 'icon', 'long_description',
      'minimum_resilient_version', 'name', 'tag', 'uuid', 'version',
    ]);
    expect(appJsonText.indexOf('"config_string"')).toBeLessThan(appJsonText.indexOf('"image"'));
    const md5 = createHash('md5').update(APP_NAME).digest('hex');
    expect(appJson.uuid.replace(/-/g, '')).toBe(md5);
    expect(appJson.tag).toEqual({ prefix: APP_NAME, name: APP_NAME, display_name: APP_NAME, uuid: appJson.uuid });
    expect(appJson.version).toBe(version);
    expect(appJson.minimum_resilient_version).toMatchObject({ major: expect.any(Number), version: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/) });
    const [executable, ...others] = appJson.current_installation.executables as Json[];
    expect(others).toEqual([]);
    expect(executable).toMatchObject({ name: APP_NAME, image: `guardduty-soar:${version}`, uuid: appJson.uuid });
    // The icons are real PNGs of the sizes the SDK checks.
    for (const [icon, w, h] of [[appJson.author.icon, 100, 100], [appJson.icon, 200, 72]] as const) {
      const png = Buffer.from(icon.data as string, 'base64');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
    }
  });

  it('asks for the permissions the daemon uses, in the form App Host accepts', () => {
    const handles = unpack().appJson.current_installation.executables[0].permission_handles as string[];
    expect(handles).toEqual([...PERMISSION_HANDLES]);
    for (const h of handles) expect(h).toMatch(/^[_a-zA-Z]+$/);
    expect(handles).toEqual(expect.arrayContaining(['read_data', 'read_function', 'create_incident', 'edit_all_incidents_fields', 'edit_all_incident_notes', 'edit_data']));
  });

  it('config_string is a [fn_aws_guardduty] section that loads once App Host adds [resilient]', () => {
    const text = unpack().appJson.current_installation.executables[0].config_string as string;
    expect(text.startsWith('[fn_aws_guardduty]\n')).toBe(true);
    for (const key of ['aws_gd_access_key_id', 'aws_gd_secret_access_key', 'aws_gd_regions_interval', 'aws_gd_polling_interval', 'aws_gd_severity_threshold', 'aws_gd_lookback_interval', 'http_proxy', 'https_proxy']) {
      expect(text).toMatch(new RegExp(`^#?${key} = `, 'm'));
    }
    expect(text).toMatch(/^#aws_gd_polling_interval = 10$/m);
    expect(text).toMatch(/^#aws_gd_secret_access_key = \$AWS_GD_SECRET_ACCESS_KEY$/m);
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    const path = join(dir, 'app.config');
    writeFileSync(path, `[resilient]\nhost = soar.example.com\norg = Acme\napi_key_id = key\napi_key_secret = secret\n\n${text}`);
    const templates = bundledTemplatePaths().create;
    const config = loadConfig({ path, env: {}, cwd: dir, secretsDir: join(dir, 'none'), templatesDir: templates.slice(0, templates.lastIndexOf('/')), hostname: 'apphost' });
    // Every commented key is at its default: the section as shipped behaves like no section at all.
    expect(config.polling.pollingIntervalMinutes).toBe(10);
    expect(config.warnings).toEqual([]);
  });

  it('refuses an image reference App Host could not pull, saying how to write it', () => {
    expect(unpack('registry.example.com:5000/secops/guardduty-soar@sha256:' + 'a'.repeat(64)).appJson.current_installation.executables[0].image)
      .toBe(`registry.example.com:5000/secops/guardduty-soar@sha256:${'a'.repeat(64)}`);
    for (const bad of ['guardduty-soar', 'Secops/GuardDuty:1.0', 'repo:tag with space', '']) {
      expect(() => buildAppPackage({ image: bad, now: NOW }), bad).toThrow(ConfigError);
    }
    expect(() => buildAppPackage({ image: 'guardduty-soar', now: NOW })).toThrow(/--image.*:TAG or @sha256/s);
  });
});

describe('export.res', () => {
  it('carries every customization setup creates, from the same definitions', () => {
    const res = unpack().exportRes;
    expect(res.export_format_version).toBe(2);
    expect(res.export_date).toBe(NOW.getTime());
    const fields = res.fields as Json[];
    expect(fields.filter((f) => f.export_key.startsWith('incident/')).map((f) => f.name as string)).toEqual(CUSTOM_FIELDS.map((f) => f.name));
    for (const f of fields.filter((x) => x.export_key.startsWith('incident/'))) expect(f).toMatchObject({ type_id: 0, prefix: 'properties' });
    expect(fields.filter((f) => f.export_key.startsWith('__function/')).map((f) => f.name as string)).toEqual(FUNCTION_INPUTS.map((f) => f.name));
    expect(new Set(fields.map((f) => f.uuid as string)).size).toBe(fields.length);
    const types = res.types as Json[];
    expect(types.map((t) => t.type_name as string)).toEqual(DATA_TABLE_SPECS.map((t) => t.name));
    for (const [i, t] of types.entries()) {
      expect(t).toMatchObject({ type_id: 8, parent_types: ['incident'], display_name: DATA_TABLE_SPECS[i].label });
      expect(Object.keys(t.fields as Json)).toEqual(DATA_TABLE_SPECS[i].columns.map((c) => c.name));
    }
    expect((res.incident_artifact_types as Json[]).map((a) => [a.programmatic_name as string, a.name as string])).toEqual(CUSTOM_ARTIFACT_TYPES.map((a) => [a.name, a.label]));
    expect(res.message_destinations).toMatchObject([{ programmatic_name: MESSAGE_DESTINATION.programmaticName, destination_type: 0, expect_ack: true }]);
    const functions = res.functions as Json[];
    expect(functions.map((f) => f.name as string)).toEqual(FUNCTIONS.map((f) => f.name));
    const uuidsByName = new Map(fields.map((f) => [f.uuid as string, f.name as string]));
    for (const [i, f] of functions.entries()) {
      expect(f.destination_handle).toBe('fn_aws_gd');
      expect((f.view_items as Json[]).map((v) => uuidsByName.get(v.content as string))).toEqual(FUNCTIONS[i].inputs);
    }
  });

  it('has a manual example playbook, under IBM\'s name, for refresh and each IPSet/ThreatIntelSet function', () => {
    const res = unpack().exportRes;
    const playbooks = res.playbooks as Json[];
    const ibmManual = IBM_PLAYBOOKS.filter((n) => !/^example_aws_guardduty_(archive|update)_/.test(n));
    expect(ibmManual).toHaveLength(11);
    expect(playbooks.map((p) => p.name as string)).toEqual(expect.arrayContaining(ibmManual));
    const functionsByUuid = new Map((res.functions as Json[]).map((f) => [f.uuid as string, f]));
    for (const pb of playbooks) {
      expect(pb).toMatchObject({ activation_type: 'manual', status: 'enabled' });
      if (ibmManual.includes(pb.name as string)) expect(pb.object_type).toBe('incident');
      const xml = pb.content.xml as string;
      const fnUuid = /<resilient:function uuid="([^"]+)">([^<]*)</.exec(xml);
      const fn = functionsByUuid.get(fnUuid![1]);
      expect(fn, pb.name as string).toBeDefined();
      const node = JSON.parse(fnUuid![2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Json;
      expect(node.pre_processing_script_language).toBe('python3');
      // Every input of the function is set, and exactly those read from the activation form are its fields.
      const def = FUNCTIONS.find((f) => f.uuid === fn!.uuid)!;
      const script = node.pre_processing_script as string;
      for (const input of def.inputs) expect(script).toMatch(new RegExp(`^inputs\\.${input} = `, 'm'));
      const fromForm = [...script.matchAll(/^inputs\.(\w+) = playbook\.inputs\.(\w+)$/gm)].map((m) => m[1]);
      expect(Object.keys(pb.fields_type.fields as Json)).toEqual(fromForm);
      if (pb.name === 'example_aws_guardduty_refresh_finding_details_pb') expect(fromForm).toEqual([]);
    }
    expect(playbooks.map((p) => p.name as string)).not.toContain('example_aws_guardduty_archive_finding_pb');
    expect(playbooks.map((p) => p.name as string)).not.toContain('example_aws_guardduty_update_finding_details_pb');
  });
});

/**
 * export.res read with resilient-sdk's own rules (issue 22): its docgen reads every function input's
 * `required` with `"always" in i.get("required", "")`, and its `package` tags every object of
 * SUPPORTED_RES_OBJ_NAMES (and each function's workflows) with `{"tag_handle": <app name>, "value": None}`.
 */
describe('export.res, read as resilient-sdk reads it', () => {
  const SDK_TAGGED = ['actions', 'automatic_tasks', 'fields', 'functions', 'incident_artifact_types', 'incident_types', 'message_destinations', 'phases', 'roles', 'scripts', 'types', 'workflows', 'workspaces'];

  /** Every object that carries function-input-like `required`: top-level fields, data table columns, playbook form fields. */
  function fieldLikeObjects(res: Json): Json[] {
    return [
      ...(res.fields as Json[]),
      ...(res.types as Json[]).flatMap((t) => Object.values(t.fields as Json) as Json[]),
      ...(res.playbooks as Json[]).flatMap((p) => Object.values((p.fields_type?.fields ?? {}) as Json) as Json[]),
    ];
  }

  it('has no null "required": "always" on required inputs, the key left out on optional ones', () => {
    const res = unpack().exportRes;
    const all = fieldLikeObjects(res);
    expect(all.length).toBeGreaterThan(60);
    for (const f of all) {
      expect(f.required === undefined || typeof f.required === 'string', f.export_key as string).toBe(true);
    }
    const inputs = new Map((res.fields as Json[]).filter((f) => f.type_id === 11).map((f) => [f.name as string, f]));
    for (const def of FUNCTION_INPUTS) {
      const field = inputs.get(def.name)!;
      if (def.required) expect(field.required, def.name).toBe('always');
      else expect(field, def.name).not.toHaveProperty('required');
    }
    // docgen's per-input line, over every function's inputs (resolved by view item uuid as docgen does).
    const byUuid = new Map((res.fields as Json[]).map((f) => [f.uuid as string, f]));
    const requiredColumn = (i: Json): string => ('required' in i ? String(i.required) : '').includes('always') ? 'Yes' : 'No';
    for (const fn of res.functions as Json[]) {
      const rows = (fn.view_items as Json[]).map((v) => requiredColumn(byUuid.get(v.content as string)!));
      expect(rows.length, fn.name as string).toBeGreaterThan(0);
    }
    expect(requiredColumn(inputs.get('aws_gd_region')!)).toBe('Yes');
    expect(requiredColumn(inputs.get('aws_gd_tags')!)).toBe('No');
  });

  it('tags every object of the lists the SDK tags, and each function\'s workflows, with the app; playbooks are left untagged', () => {
    const { exportRes: res, appJson } = unpack();
    const tag = [{ tag_handle: appJson.tag.name as string, value: null }];
    expect(tag[0].tag_handle).toBe(APP_NAME);
    let tagged = 0;
    for (const key of SDK_TAGGED) {
      for (const obj of (res[key] ?? []) as Json[]) {
        expect(obj.tags, `${key} ${String(obj.name ?? obj.type_name ?? obj.programmatic_name)}`).toEqual(tag);
        tagged++;
      }
    }
    for (const fn of res.functions as Json[]) for (const wf of fn.workflows as Json[]) expect(wf.tags).toEqual(tag);
    expect(tagged).toBe((res.fields as Json[]).length + (res.types as Json[]).length + (res.incident_artifact_types as Json[]).length + 1 + (res.functions as Json[]).length);
    for (const pb of res.playbooks as Json[]) expect(pb.tags).toEqual([]);
    // Columns inside a data table are not top-level objects: the SDK leaves them as they are.
    for (const t of res.types as Json[]) for (const c of Object.values(t.fields as Json) as Json[]) expect(c.tags).toEqual([]);
  });

  it('gives every playbook a BPMN diagram: one shape per node and one edge per flow, as IBM\'s playbooks have', () => {
    const xmls = (unpack().exportRes.playbooks as Json[]).map((p) => p.content.xml as string);
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    const path = join(dir, 'xmls.json');
    writeFileSync(path, JSON.stringify(xmls));
    // ElementTree, as resilient-sdk parses playbook XML: every node and flow of the process has its diagram element.
    const script = [
      'import json, sys, xml.etree.ElementTree as ET',
      'B = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"; D = "{http://www.omg.org/spec/BPMN/20100524/DI}"',
      'out = []',
      'for x in json.load(open(sys.argv[1])):',
      '  r = ET.fromstring(x); p = r.find(B + "process")',
      '  nodes = sorted(e.get("id") for e in p if e.tag in (B + "startEvent", B + "serviceTask", B + "endEvent"))',
      '  flows = sorted(e.get("id") for e in p if e.tag == B + "sequenceFlow")',
      '  plane = r.find(D + "BPMNDiagram/" + D + "BPMNPlane")',
      '  out.append({"plane": plane.get("bpmnElement") == p.get("id"), "nodes": nodes, "shapes": sorted(e.get("bpmnElement") for e in plane.iter(D + "BPMNShape")), "flows": flows, "edges": sorted(e.get("bpmnElement") for e in plane.iter(D + "BPMNEdge"))})',
      'print(json.dumps(out))',
    ].join('\n');
    const out = JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as { plane: boolean; nodes: string[]; shapes: string[]; flows: string[]; edges: string[] }[];
    expect(out).toHaveLength(xmls.length);
    for (const pb of out) {
      expect(pb.plane).toBe(true);
      expect(pb.nodes.length).toBeGreaterThan(2);
      expect(pb.shapes).toEqual(pb.nodes);
      expect(pb.edges).toEqual(pb.flows);
    }
  });

  it('writes artifact types with the keys of IBM\'s exports', () => {
    for (const a of unpack().exportRes.incident_artifact_types as Json[]) {
      expect(Object.keys(a).sort()).toEqual([
        'desc', 'enabled', 'export_key', 'file', 'id', 'multi_aware', 'name', 'parse_as_csv', 'programmatic_name', 'reg_exp',
        'system', 'tags', 'use_for_relationships', 'uuid', 'version',
      ]);
      expect(a).toMatchObject({ enabled: true, file: false, multi_aware: false, parse_as_csv: false, reg_exp: null, system: false, use_for_relationships: true, version: 0 });
    }
  });

  it('puts <name>-<version>.tar.gz in the zip, an archive python\'s tarfile reads, named as app.json', () => {
    const pkg = buildAppPackage({ now: NOW });
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    const tarPath = join(dir, 'dist.tar.gz');
    writeFileSync(tarPath, readZip(pkg.zip).get(`${APP_NAME}-${VERSION}.tar.gz`)!);
    const script = 'import json, sys, tarfile\nt = tarfile.open(sys.argv[1], "r:gz")\nm = t.getmembers()\nprint(json.dumps({"names": [x.name for x in m], "dirs": [x.isdir() for x in m], "pkg": t.extractfile(sys.argv[2]).read().decode()}))';
    const out = JSON.parse(execFileSync('python3', ['-c', script, tarPath, `${APP_NAME}-${VERSION}/PKG-INFO`], { encoding: 'utf8' })) as { names: string[]; dirs: boolean[]; pkg: string };
    expect(out.names).toEqual([`${APP_NAME}-${VERSION}`, `${APP_NAME}-${VERSION}/PKG-INFO`, `${APP_NAME}-${VERSION}/README.txt`]);
    expect(out.dirs).toEqual([true, false, false]);
    expect(out.pkg).toContain(`Name: ${APP_NAME}\nVersion: ${VERSION}\n`);
    expect(pkg.appJson).toMatchObject({ name: APP_NAME, version: VERSION });
  });
});

describe('guardduty-soar package', () => {
  function io(cwd: string): Io & { out: () => string; err: () => string } {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]): Writable => new Writable({ write: (chunk: Buffer, _e, done) => { into.push(chunk.toString()); done(); } });
    return { env: {}, cwd, stdout: sink(out), stderr: sink(err), out: () => out.join(''), err: () => err.join('') };
  }

  it('writes only the finished zip into --out (created when missing) and says what it holds', () => {
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    const run = io(dir);
    expect(packageCommand(run, { out: 'a/b', image: 'guardduty-soar:9.9.9' }, NOW)).toBe(0);
    const files = readdirSync(join(dir, 'a/b'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^app-guardduty_soar-.*\.zip$/);
    expect(run.out()).toContain(`Wrote ${join(dir, 'a/b', files[0])}`);
    expect(run.out()).toMatch(/export\.res: \d+ fields, \d+ data tables, \d+ artifact types, 1 message destination, \d+ functions, \d+ playbooks/);
  });

  it('without --out writes into apphost/, a folder the repository\'s .gitignore ignores, and says where', () => {
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    // A clone: the repository's own .gitignore, nothing committed yet.
    execFileSync('git', ['init', '-q'], { cwd: dir });
    copyFileSync(join(ROOT, '.gitignore'), join(dir, '.gitignore'));
    const run = io(dir);
    expect(packageCommand(run, {}, NOW)).toBe(0);
    const files = readdirSync(join(dir, 'apphost'));
    expect(files).toEqual([expect.stringMatching(/^app-guardduty_soar-.*\.zip$/)]);
    expect(run.out()).toContain(`Wrote ${join(dir, 'apphost', files[0])}`);
    const untracked = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });
    expect(untracked.split('\n').filter(Boolean)).toEqual(['?? .gitignore']);
  });

  it('a folder it cannot write is a clear error naming it and the fix', () => {
    dir = mkdtempSync(join(tmpdir(), 'gds-pkg-'));
    writeFileSync(join(dir, 'file'), '');
    const run = io(dir);
    expect(packageCommand(run, { out: 'file/sub' }, NOW)).toBe(1);
    expect(run.err()).toBe(`Cannot write the package to ${join(dir, 'file/sub')} (ENOTDIR): choose a writable folder with --out DIR.\n`);
  });
});
