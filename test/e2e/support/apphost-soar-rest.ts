import type { Harness } from '../../helpers/harness.js';

/**
 * SOAR's REST API as another program drives it (App Host installing a package, IBM's app creating
 * its incidents), with the emulator's API key: for tests that must set SOAR up the way those
 * programs do, not through the emulator's admin shortcuts.
 */
export async function soarRest(harness: Harness, method: string, rest: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = rest.startsWith('/rest/') ? `${harness.soar.url}${rest}` : `${harness.soar.url}/rest/orgs/${harness.soar.orgId}${rest}`;
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Basic ${Buffer.from('demo-key:demo-secret').toString('base64')}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
