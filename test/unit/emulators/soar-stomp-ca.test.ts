import fs from 'node:fs';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createEmulatorCa } from '../../../emulators/shared/ca.js';

/** Connects with the CA file as the only trust anchor; resolves with whether the server was verified. */
function handshake(port: number, host: string, ca: string): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, ca, servername: host === '127.0.0.1' ? undefined : host }, () => {
      resolve({ authorized: socket.authorized });
      socket.destroy();
    });
    socket.on('error', (e) => resolve({ authorized: false, error: e.message }));
  });
}

describe('emulator CA', () => {
  it('signs a server certificate that verifies for 127.0.0.1 and localhost against the CA file, and is removed on close', async () => {
    const ca = await createEmulatorCa();
    const server = tls.createServer({ key: ca.key, cert: ca.cert }, (s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const trusted = fs.readFileSync(ca.caPath, 'utf8');
      expect(trusted).toBe(ca.caCert);
      expect(await handshake(port, '127.0.0.1', trusted)).toEqual({ authorized: true });
      expect(await handshake(port, 'localhost', trusted)).toEqual({ authorized: true });
      // Another CA's certificate is not trusted: verification really happens.
      const other = await createEmulatorCa();
      other.close();
      const refused = await handshake(port, '127.0.0.1', other.caCert);
      expect(refused.authorized).toBe(false);
      expect(refused.error).toMatch(/certificate/i);
    } finally {
      server.close();
      ca.close();
    }
    expect(fs.existsSync(ca.caPath)).toBe(false);
  });
});
