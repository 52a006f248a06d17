import { startSoarEmulator, type SoarEmulator, type SoarEmulatorOptions } from '../../../../emulators/soar/index.js';

export interface CallResult {
  status: number;
  // Parsed JSON read freely by the assertions.
   
  body: any;
  headers: Headers;
}

export type Api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<CallResult>;

export function basic(id = 'demo-key', secret = 'demo-secret'): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
}

/**
 * A plain-fetch client: paths starting with `/rest/` or `/__admin` are absolute, the rest are
 * relative to `/rest/orgs/{orgId}`.
 */
export function apiFor(emu: SoarEmulator, auth: Record<string, string> = basic()): Api {
  return async (method, path, body, headers = {}) => {
    const absolute = path.startsWith('/rest/') || path.startsWith('/__admin');
    const url = `${emu.url}${absolute ? '' : `/rest/orgs/${emu.orgId}`}${path}`;
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...auth, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

export async function startEmulator(options: SoarEmulatorOptions = {}): Promise<{ emu: SoarEmulator; api: Api }> {
  const emu = await startSoarEmulator(options);
  return { emu, api: apiFor(emu) };
}

/** The custom schema the daemon's `setup` creates (a subset), made through the REST API. */
export async function createGuardDutySchema(api: Api): Promise<void> {
  for (const name of ['aws_guardduty_finding_id', 'aws_guardduty_region', 'aws_guardduty_count', 'aws_guardduty_archived']) {
    const res = await api('POST', '/types/incident/fields', { name, text: name.replace(/_/g, ' '), input_type: 'text' });
    if (res.status !== 200) throw new Error(`field ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  await api('POST', '/types/incident/fields', { name: 'aws_guardduty_trigger_refresh', text: 'Trigger refresh', input_type: 'boolean' });
  await api('POST', '/types', {
    type_name: 'gd_finding_overview',
    display_name: 'GuardDuty finding overview',
    type_id: 8,
    fields: {
      severity: { text: 'Severity', input_type: 'text' },
      count: { text: 'Count', input_type: 'text' },
      query_execution_date: { text: 'Query date', input_type: 'text' },
    },
  });
  await api('POST', '/artifact_types', { programmatic_name: 'aws_iam_user_name', name: 'AWS IAM User Name', desc: 'IAM user' });
}

export function incidentBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'AWS GuardDuty: test finding', discovered_date: 1_700_000_000_000, severity_code: 'Medium', ...extra };
}
