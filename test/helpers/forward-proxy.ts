import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A small forwarding proxy on 127.0.0.1, strict the way Squid is: plain-HTTP requests must carry an
 * absolute URI (a relative one is answered 400 and counted), HTTPS goes through `CONNECT host:port`.
 * It counts what passed through per target and, with `auth`, answers 407 to requests without the
 * right `Proxy-Authorization`.
 */

export interface ProxiedRequest {
  kind: 'http' | 'connect';
  /** `host:port` of the destination. */
  target: string;
  method: string;
  /** The absolute URI (http) or `host:port` (CONNECT). */
  url: string;
  /** The `Proxy-Authorization` header as received. */
  authorization: string | undefined;
}

export interface ForwardProxy {
  readonly port: number;
  /** `http://127.0.0.1:PORT`, without credentials. */
  readonly url: string;
  /** With `auth`: `http://user:password@127.0.0.1:PORT` (URL-encoded). */
  readonly urlWithAuth: string;
  /** Requests forwarded (HTTP) or tunnels opened (CONNECT), in order. */
  requests(): ProxiedRequest[];
  /** `http 127.0.0.1:4010` / `connect 127.0.0.1:4443` → how many passed through. */
  counts(): Record<string, number>;
  /** Requests refused with 407 (wrong or missing credentials). */
  readonly refused: number;
  /** Plain-HTTP requests with a relative URI: a real proxy cannot route them. */
  readonly relativeRequests: number;
  reset(): void;
  close(): Promise<void>;
}

export interface ForwardProxyOptions {
  auth?: { user: string; password: string };
}

export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const seen: ProxiedRequest[] = [];
  const sockets = new Set<net.Socket>();
  let refused = 0;
  let relativeRequests = 0;
  const expected = options.auth ? `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}` : undefined;
  const authorized = (req: http.IncomingMessage): boolean => expected === undefined || req.headers['proxy-authorization'] === expected;

  const server = http.createServer((req, res) => {
    const raw = req.url ?? '/';
    if (!/^http:\/\//i.test(raw)) {
      relativeRequests += 1;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('proxy: absolute URI required\n');
      return;
    }
    if (!authorized(req)) {
      refused += 1;
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test-proxy"', 'content-type': 'text/plain' }).end('proxy: authentication required\n');
      return;
    }
    const target = new URL(raw);
    seen.push({ kind: 'http', target: target.host, method: req.method ?? 'GET', url: raw, authorization: req.headers['proxy-authorization'] });
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: upstream failed\n');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = req.url ?? '';
    if (!authorized(req)) {
      refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    seen.push({ kind: 'connect', target, method: 'CONNECT', url: target, authorization: req.headers['proxy-authorization'] });
    const [host, port] = splitHostPort(target);
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.password)}@` : '';
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    urlWithAuth: `http://${credentials}127.0.0.1:${port}`,
    requests: () => seen.map((r) => ({ ...r })),
    counts: () => {
      const out: Record<string, number> = {};
      for (const r of seen) out[`${r.kind} ${r.target}`] = (out[`${r.kind} ${r.target}`] ?? 0) + 1;
      return out;
    },
    get refused() {
      return refused;
    },
    get relativeRequests() {
      return relativeRequests;
    },
    reset: () => {
      seen.length = 0;
      refused = 0;
      relativeRequests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(target: string): [string, number] {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(target);
  return match ? [match[1] ?? '', Number(match[2])] : [target, 443];
}
