import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { bundledTemplatePaths } from '../../../src/incidents/bundled-templates.js';
import { DEFAULT_SEVERITY_MAP } from '../../../src/findings/severity.js';
import { buildTemplateContext, type ContextOptions } from '../../../src/incidents/template-context.js';
import { loadTemplates } from '../../../src/incidents/templates.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const options: ContextOptions = { region: 'us-east-1', detectorId: 'det-polled', severityMap: DEFAULT_SEVERITY_MAP, now: Date.UTC(2025, 0, 3) };
const templates = loadTemplates(bundledTemplatePaths());
const create = (finding: Finding, opts: Partial<ContextOptions> = {}): Record<string, unknown> =>
  templates.renderCreate(buildTemplateContext(finding, { ...options, ...opts }));

const dir = mkdtempSync(join(tmpdir(), 'gd-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function file(content: string): string {
  const path = join(dir, `t${(fileCount += 1)}.json.njk`);
  writeFileSync(path, content);
  return path;
}
function withClose(close: string): ReturnType<typeof loadTemplates> {
  return loadTemplates({ ...bundledTemplatePaths(), close: file(close) });
}
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('bundled create template', () => {
  it('renders the incident a responder opens for a port probe', () => {
    const finding = loadFinding('port-probe-two-details');
    const payload = create(finding);
    expect(Object.keys(payload)).toEqual(['name', 'description', 'discovered_date', 'severity_code', 'properties', 'comments', 'artifacts']);
    expect(payload.name).toBe('AWS GuardDuty: Unprotected port on EC2 instance i-0abc1234def567890 is being probed.');
    // The account and region come first: many member accounts may feed one SOAR org.
    expect(payload.description).toEqual({
      format: 'text',
      content: 'AWS account 123456789012, us-east-1.\n\nEC2 instance has an unprotected port which is being probed by a known malicious host.',
    });
    expect(payload.discovered_date).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    expect(payload.severity_code).toBe('Low');
    expect(payload.properties).toMatchObject({
      aws_guardduty_finding_id: '5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c', aws_guardduty_detector_id: 'det-polled', aws_guardduty_count: '3',
      aws_guardduty_severity: '2', aws_guardduty_archived: 'False', aws_guardduty_trigger_refresh: false,
    });
    const comments = payload.comments as { text: { format: string; content: string } }[];
    expect(comments).toHaveLength(1);
    // The story first (HTML), the whole finding as JSON in a collapsed block after it.
    expect(comments[0]?.text.format).toBe('html');
    expect(comments[0]?.text.content.startsWith('<p><b>Unprotected port on EC2 instance i-0abc1234def567890 is being probed.</b></p>')).toBe(true);
    expect(comments[0]?.text.content).toContain(`<pre>${JSON.stringify(finding, null, 2).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</pre>`);
    const artifacts = payload.artifacts as { type: { name: string }; value: string; description: { format: string; content: string } }[];
    expect(artifacts.map((a) => `${a.type.name}=${a.value}`)).toEqual([
      'IP Address=198.51.100.7', 'IP Address=10.0.1.5', 'Port=22', 'IP Address=192.0.2.44', 'Port=3389', 'IP Address=203.0.113.10',
      'DNS Name=ec2-203-0-113-10.compute-1.amazonaws.com', 'DNS Name=ip-10-0-1-5.ec2.internal',
    ]);
    expect(artifacts[3]?.description).toEqual({
      format: 'text', content: 'GuardDuty finding field Service.Action.PortProbeAction.PortProbeDetails[1].RemoteIpDetails.IpAddressV4',
    });
  });

  it('keeps hostile strings exactly, injecting nothing', () => {
    const finding = loadFinding('hostile-strings');
    const payload = create(finding);
    expect(Object.keys(payload)).toEqual(['name', 'description', 'discovered_date', 'severity_code', 'properties', 'comments', 'artifacts']);
    expect(payload.name).toBe(`AWS GuardDuty: ${finding.Title}`);
    expect((payload.description as { content: string }).content).toBe(`AWS account 123456789012, us-east-1.\n\n${String(finding.Description)}`);
    expect(payload).not.toHaveProperty('plan_status');
    const artifacts = payload.artifacts as { value: string }[];
    expect(artifacts.map((a) => a.value)).toContain('bucket"><img src=x onerror=alert(2)>');
    expect(artifacts.map((a) => a.value)).toContain('ünïcødé-üser-🔥');
    const note = (payload.comments as { text: { content: string } }[])[0]?.text.content ?? '';
    const json = (/<pre>([\s\S]*)<\/pre>/.exec(note)?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    expect(JSON.parse(json)).toEqual(finding);
    // Template syntax inside finding values is text, never evaluated.
    expect(note).toContain('{{ 7*7 }} {% raw %}x{% endraw %}');
  });

  it('renders a valid payload for a finding with no title, severity, resource or service', () => {
    const payload = create(loadFinding('no-title-no-severity'));
    expect(payload.name).toBe('AWS GuardDuty: Recon:EC2/Portscan finding created 2025-07-07T07:07:07.007Z');
    expect(payload.severity_code).toBe('Low');
    expect(payload.artifacts).toEqual([]);
    expect(payload.properties).toMatchObject({ aws_guardduty_severity: null, aws_guardduty_count: null, aws_guardduty_resource_type: null });
  });

  it('survives a non-numeric severity and a 100 KB description', () => {
    const description = `${'A long description. '.repeat(5 * 1024)}END`;
    const odd = { ...loadFinding('dns-request'), Severity: 'abc', Description: description } as unknown as Finding;
    const payload = create(odd);
    expect(payload.severity_code).toBe('Low');
    expect((payload.description as { content: string }).content).toBe(`AWS account 123456789012, us-east-1.\n\n${description}`);
  });

  it('Critical severity: "High" by default, the configured name otherwise', () => {
    const finding = loadFinding('critical-attack-sequence');
    expect(create(finding).severity_code).toBe('High');
    const severityMap = { Low: 'Low', Medium: 'Medium', High: 'High', Critical: 'Critical' };
    expect(create(finding, { severityMap }).severity_code).toBe('Critical');
  });
});

describe('bundled update and close templates', () => {
  it('update: severity and the changeable custom fields', () => {
    const context = buildTemplateContext(loadFinding('instance-two-nics'), options);
    expect(templates.renderUpdate(context)).toEqual({
      severity_code: 'High',
      properties: {
        aws_guardduty_count: '12', aws_guardduty_finding_updated_at: '2025-03-01T01:00:00.000Z',
        aws_guardduty_severity: '8', aws_guardduty_archived: 'False',
      },
    });
  });

  it('close: resolved, with a summary saying why', () => {
    const context = buildTemplateContext(loadFinding('dns-request'), options);
    expect(templates.renderClose(context)).toEqual({
      plan_status: 'C',
      resolution_id: 'Resolved',
      resolution_summary:
        'Closed by guardduty-soar: the GuardDuty finding d05d05d05d05d05d05d05d05d05d05d0 was archived in GuardDuty (noticed on 2025-01-03T00:00:00.000Z).',
    });
  });

  it('an IBM customer’s plain JSON close template renders unchanged', () => {
    const ibm = {
      plan_status: 'C',
      resolution_id: 'Resolved',
      resolution_summary: 'Resolved by Resilient integration AWS GuardDuty poller because corresponding GuardDuty finding has been Archived.',
    };
    const loaded = withClose(JSON.stringify(ibm, null, 4));
    expect(loaded.renderClose(buildTemplateContext(loadFinding('dns-request'), options))).toEqual(ibm);
  });

  it('exposes the paths in use', () => {
    expect(templates.paths).toEqual(bundledTemplatePaths());
  });
});

describe('template problems', () => {
  it('a syntax error is a ConfigError naming the key, the file and the line', () => {
    const err = configError(() => withClose('{\n  "a": 1,\n  "b": {% if %}\n}'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ key: 'fn_aws_guardduty.aws_gd_close_incident_template' });
    expect(err.message).toMatch(/line 3, column \d+: unexpected token/);
    expect(err.message).toContain('.json.njk');
  });

  it('a missing file is a ConfigError; every problem is reported at once', () => {
    const err = configError(() =>
      loadTemplates({ create: join(dir, 'missing.njk'), update: file('{{ oops'), close: bundledTemplatePaths().close }),
    );
    expect(err.problems.map((p) => p.key)).toEqual([
      'fn_aws_guardduty.aws_gd_create_incident_template',
      'fn_aws_guardduty.aws_gd_update_incident_template',
    ]);
    expect(err.problems[0]?.expected).toBe('a readable template file');
    expect(err.problems[0]?.value).toBe(join(dir, 'missing.njk'));
  });

  it('a template that cannot render JSON for a sample finding is reported at load', () => {
    const err = configError(() => withClose('{"resolution_summary": {{ close_summary }}}'));
    expect(err.message).toMatch(/renders a JSON object/);
    expect(err.message).toMatch(/Likely cause: a value not passed through "\| json"/);
  });

  it('output that is not JSON for a given finding: the error names the file, the position and the likely cause', () => {
    const path = file('{\n  "plan_status": "C",\n  "resolution_summary": "{{ finding.Title }}"\n}');
    const loaded = loadTemplates({ ...bundledTemplatePaths(), close: path });
    const context = buildTemplateContext(loadFinding('hostile-strings'), options);
    let message = '';
    try {
      loaded.renderClose(context);
    } catch (err) {
      message = (err as Error).message;
    }
    // The title closed the string and added "plan_status"; parsing fails only further on.
    expect(message).toContain(`The close template ${path} rendered invalid JSON at line 3, column 67 of its output`);
    expect(message).toContain('"plan_status": "C <script>alert("⟨HERE⟩t")</script> {{ finding.Id }} \\u0000\\u0008\\u001b[0m');
    expect(message).toContain('Likely cause: a value not passed through "| json"');
  });

  it('a template that renders something other than an object is rejected', () => {
    const err = configError(() => withClose('[1, 2]'));
    expect(err.message).toContain('rendered an array, not a JSON object');
  });
});
