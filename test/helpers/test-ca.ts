import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A private CA and a server certificate it signed for 127.0.0.1 (and localhost), made with the
 * `openssl` command line in a temporary directory: what an operator's internal PKI gives SOAR.
 * Each call makes a fresh CA, so a test can also make a second, unrelated one.
 */
export interface TestCa {
  dir: string;
  /** PEM file of the CA certificate: what `[resilient] cafile` points at. */
  caFile: string;
  caPem: string;
  /** The server's key and certificate (PEM), for `https.createServer` or the SOAR emulator's `tls`. */
  key: string;
  cert: string;
  cleanup(): void;
}

export function createTestCa(name = 'guardduty-soar test CA'): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-ca-'));
  const file = (f: string): string => path.join(dir, f);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
    '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', file('server-key.pem'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(file('server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ].join('\n'));
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', file('server.ext'), '-out', file('server.pem'));
  return {
    dir,
    caFile: file('ca.pem'),
    caPem: fs.readFileSync(file('ca.pem'), 'utf8'),
    key: fs.readFileSync(file('server-key.pem'), 'utf8'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
