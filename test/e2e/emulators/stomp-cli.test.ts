import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../helpers/harness.js';
import { RawStompClient } from '../support/stomp-raw-client.js';

/** GET over HTTPS trusting only `ca`: proof the certificate verifies, as an IBM app.config `cafile` would. */
function getVerified(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from('demo-key:demo-secret').toString('base64')}`;
    https.get(url, { ca, headers: { authorization: auth } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('guardduty-soar emulate --tls', () => {
  it('prints the STOMP port and the CA file; REST (HTTPS) and STOMP both verify against that CA; the CA is removed on exit', async () => {
    const child = spawn(process.execPath, [CLI, 'emulate', '--tls', '--regions', 'us-east-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const info = JSON.parse(line) as { aws: string; soar: string; orgId: number; detectors: Record<string, string>; stomp: number; ca: string };
      expect(Object.keys(info).sort()).toEqual(['aws', 'ca', 'detectors', 'orgId', 'soar', 'stomp']);
      expect(info.soar).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = fs.readFileSync(info.ca, 'utf8');
      expect(await getVerified(`${info.soar}/rest/session`, ca)).toBe(200);
      const { client, connected } = await RawStompClient.login(info.stomp, ca);
      expect(connected.headers.server).toBe('ActiveMQ/5.15.14');
      await client.destroy();
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      expect(fs.existsSync(info.ca)).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
