import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { SoarClient } from '../../../src/soar/soar-client.js';
import { useHttpMock } from '../../helpers/http-mock.js';
import { BASIC, ORG, harness, incident, sessionBody, soarConfig } from './fixtures.js';

/**
 * Real sockets on 127.0.0.1: TLS verification with `cafile`, timeouts and the `[resilient]` proxy
 * cannot be seen through nock. Each test allows loopback (and nothing else) for itself.
 */
const mock = useHttpMock();

let dir: string;
let certFile: string;
let server: https.Server;
let soarUrl: string;
const seen: { url: string; authorization: string | undefined }[] = [];

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
  const url = req.url ?? '';
  if (url.includes('/slow')) return; // never answers: the client's timeout must end it
  res.setHeader('content-type', 'application/json');
  if (url.startsWith('/rest/session') || url.startsWith('http://soar.internal:8080/rest/session')) {
    res.end(JSON.stringify(sessionBody()));
  } else {
    res.end(JSON.stringify(incident({ id: 1 })));
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gds-soar-tls-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  server = https.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  soarUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function using<T>(client: SoarClient, fn: (c: SoarClient) => Promise<T>): Promise<T> {
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

describe('TLS', () => {
  it('trusts the PEM bundle named by cafile', async () => {
    mock.allowLoopback();
    seen.length = 0;
    const { client } = harness(soarConfig({ baseUrl: soarUrl, cafile: certFile }));

    const found = await using(client, (c) => c.incidents.getIncident(1));

    expect(found?.id).toBe(1);
    expect(seen).toEqual([
      { url: '/rest/session?include_permissions=false', authorization: BASIC },
      { url: `${ORG}/incidents/1?handle_format=names`, authorization: BASIC },
    ]);
    expect(client.tlsVerificationDisabled).toBe(false);
  });

  it('refuses a certificate the system CAs do not trust, pointing at cafile', async () => {
    mock.allowLoopback();
    const { client } = harness(soarConfig({ baseUrl: soarUrl }));

    const err = await using(client, (c) => c.session.connect()).then(() => undefined, (e: unknown) => e);

    expect(err).toMatchObject({ service: 'soar', retryable: false, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect((err as Error).message).toContain('cafile');
  });

  it('skips verification when cafile = false, and says so', async () => {
    mock.allowLoopback();
    const { client } = harness(soarConfig({ baseUrl: soarUrl, cafile: false }));

    expect((await using(client, (c) => c.session.connect())).id).toBe(201);
    expect(client.tlsVerificationDisabled).toBe(true);
  });

  it('rejects an unreadable cafile when the client is built', () => {
    expect(() => harness(soarConfig({ cafile: path.join(dir, 'missing.pem') }))).toThrow(ConfigError);
  });
});

describe('timeouts', () => {
  it('abandons a request after timeoutMs and retries it (a GET)', async () => {
    mock.allowLoopback();
    seen.length = 0;
    // 400 ms, not less: on a loaded machine the TLS handshake alone can outlast a shorter timeout, and an
    // attempt abandoned before its request line reached the server would not be counted below.
    const { client, clock } = harness(soarConfig({ baseUrl: soarUrl, cafile: certFile, timeoutMs: 400 }));
    await using(client, async (c) => {
      await c.session.connect();
      const err = await c.incidents.listTableRows(1, 'slow').then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'ETIMEDOUT', retryable: true, operation: 'GET /incidents/{id}/table_data/{table}' });
    });
    expect(clock.sleeps).toHaveLength(4);
    expect(seen.filter((s) => s.url.includes('/slow'))).toHaveLength(5);
  });
});

describe('[resilient] proxy', () => {
  it('sends plain-HTTP SOAR requests through the proxy, with its credentials', async () => {
    mock.allowLoopback();
    const proxied: { url: string; proxyAuth: string | undefined }[] = [];
    const proxy = http.createServer((req, res) => {
      proxied.push({ url: req.url ?? '', proxyAuth: req.headers['proxy-authorization'] });
      answer(req, res);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const { client } = harness(soarConfig({ baseUrl: 'http://soar.internal:8080', proxy: { url: `http://pxuser:pxpass@127.0.0.1:${port}` } }));
    try {
      await using(client, (c) => c.session.connect());
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }

    expect(proxied).toEqual([{
      url: 'http://soar.internal:8080/rest/session?include_permissions=false',
      proxyAuth: `Basic ${Buffer.from('pxuser:pxpass').toString('base64')}`,
    }]);
  });
});
