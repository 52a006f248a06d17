import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'selfsigned';

/**
 * A throwaway certificate authority for the emulators: a CA certificate and a server certificate it
 * signs for 127.0.0.1 and localhost. Clients verify against `caPath` exactly as they would against
 * a customer's CA bundle (IBM's app.config `cafile`), so TLS verification stays on in tests.
 */
export interface EmulatorCa {
  /** PEM of the CA certificate (what a client trusts). */
  caCert: string;
  /** File holding `caCert`: the `cafile` / `stomp_cafile` to configure. */
  caPath: string;
  /** The server's key and certificate, as `tls.createServer` / `https.createServer` take them. */
  key: string;
  cert: string;
  /** Removes the temp directory. Idempotent. */
  close(): void;
}

/** EC P-256 keys: generating them takes milliseconds, where RSA 2048 takes a noticeable fraction of a second. */
const KEY_OPTIONS = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;

export async function createEmulatorCa(): Promise<EmulatorCa> {
  // A day back as well as ahead: a client whose clock is slightly behind still accepts it.
  const notBeforeDate = new Date(Date.now() - 86_400_000);
  const notAfterDate = new Date(Date.now() + 30 * 86_400_000);
  const ca = await generate([{ name: 'commonName', value: 'guardduty-soar emulator CA' }], {
    ...KEY_OPTIONS,
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    ...KEY_OPTIONS,
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardduty-soar-ca-'));
  const caPath = path.join(dir, 'emulator-ca.pem');
  fs.writeFileSync(caPath, ca.cert, { mode: 0o644 });
  return {
    caCert: ca.cert,
    caPath,
    key: server.private,
    cert: server.cert,
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
