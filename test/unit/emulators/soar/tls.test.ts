import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSoarEmulator, type SoarEmulator } from '../../../../emulators/soar/index.js';

const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../../fixtures/tls');

/** A fresh self-signed certificate for 127.0.0.1 from openssl; the stored test fixture otherwise. */
function certificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soar-tls-'));
  try {
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(cert, 'utf8') };
  } catch {
    return {
      key: fs.readFileSync(path.join(FIXTURE_DIR, 'soar-emulator-key.pem'), 'utf8'),
      cert: fs.readFileSync(path.join(FIXTURE_DIR, 'soar-emulator-cert.pem'), 'utf8'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function get(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const auth = `Basic ${Buffer.from('demo-key:demo-secret').toString('base64')}`;
    https
      .get(url, { ca, headers: { authorization: auth } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

let emu: SoarEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('SOAR emulator: TLS', () => {
  it('serves HTTPS with the given certificate, verified against it as the CA', async () => {
    const tls = certificate();
    emu = await startSoarEmulator({ tls });
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(`${emu.url}/rest/session`, tls.cert);
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { orgs: { name: string }[] }).orgs[0]?.name).toBe('Demo Org');
    // Without the CA the self-signed certificate is refused, as a verifying client should.
    await expect(get(`${emu.url}/rest/session`, undefined)).rejects.toThrow();
  });

  it('the stored fixture certificate also serves HTTPS', async () => {
    const key = fs.readFileSync(path.join(FIXTURE_DIR, 'soar-emulator-key.pem'), 'utf8');
    const cert = fs.readFileSync(path.join(FIXTURE_DIR, 'soar-emulator-cert.pem'), 'utf8');
    emu = await startSoarEmulator({ tls: { key, cert } });
    expect((await get(`${emu.url}/rest/const`, cert)).status).toBe(200);
  });
});
