import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/**
 * Per-request proxy routing for the AWS SDK's and axios's HTTP agents.
 *
 * Neither the AWS SDK v3 nor our axios instance reads proxy environment variables, so the daemon
 * builds its own agents. The decision is made per request (by destination host), because one
 * agent serves many endpoints and `NO_PROXY` must be honoured for each of them. Loopback is not
 * special: an operator (or a test) may well proxy traffic to 127.0.0.1.
 */

export interface ProxyRoute {
  /** Proxy for `http:` destinations, e.g. `http://user:pass@proxy:3128`. */
  httpProxy?: string | undefined;
  /** Proxy for `https:` destinations (tunnelled with CONNECT). */
  httpsProxy?: string | undefined;
  /** `NO_PROXY` syntax: comma-separated hosts, `.suffix`/`suffix` domains, `host:port`, or `*`. */
  noProxy?: string | undefined;
}

/** How many requests an agent sent through its proxy, and how many straight to their destination. */
export interface RouteCounts {
  proxy: number;
  direct: number;
}

/** An agent that routes each request, and counts which way each went (so `check` says only what happened). */
export interface RoutingHttpAgent extends http.Agent {
  readonly routed: RouteCounts;
}

export interface AgentTlsOptions {
  /** PEM bundle(s) to trust instead of the system CAs. */
  ca?: string | Buffer | undefined;
  /** False disables certificate verification (an operator's explicit choice, warned about loudly). */
  rejectUnauthorized?: boolean | undefined;
}

export function shouldBypassProxy(hostname: string, port: number, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry);
    const entryHost = (match?.[1] ?? entry).replace(/^\*?\./, '.').replace(/^\[|\]$/g, '');
    const entryPort = match?.[2] ? Number(match[2]) : undefined;
    if (entryPort !== undefined && entryPort !== port) continue;
    if (entryHost.startsWith('.')) {
      if (host.endsWith(entryHost) || host === entryHost.slice(1)) return true;
    } else if (host === entryHost || host.endsWith(`.${entryHost}`)) {
      return true;
    }
  }
  return false;
}

/**
 * Delegates each request to the direct agent or the proxy agent, chosen by destination. It pools no
 * sockets itself: each delegate keeps its own keep-alive pool, so a reused connection always belongs
 * to the right route (and an HTTP proxy keeps receiving absolute request URLs on reused sockets).
 */
class RoutingAgent extends http.Agent implements RoutingHttpAgent {
  readonly routed: RouteCounts = { proxy: 0, direct: 0 };
  private readonly direct: http.Agent;
  private readonly viaProxy: http.Agent | undefined;
  private readonly tlsOpts: tls.ConnectionOptions = {};

  constructor(
    private readonly secure: boolean,
    private readonly route: ProxyRoute,
    tlsOptions: AgentTlsOptions,
  ) {
    super({ keepAlive: true });
    // Node checks a request's protocol and default port against its agent's.
    Object.assign(this, { protocol: secure ? 'https:' : 'http:', defaultPort: secure ? 443 : 80 });
    const proxy = secure ? route.httpsProxy : route.httpProxy;
    const tlsOpts = this.tlsOpts;
    if (tlsOptions.ca !== undefined) tlsOpts.ca = tlsOptions.ca;
    if (tlsOptions.rejectUnauthorized !== undefined) tlsOpts.rejectUnauthorized = tlsOptions.rejectUnauthorized;
    this.direct = secure ? new https.Agent({ keepAlive: true, ...tlsOpts }) : new http.Agent({ keepAlive: true });
    if (proxy) {
      this.viaProxy = secure
        ? new HttpsProxyAgent(proxy, { keepAlive: true, ...tlsOpts })
        : new HttpProxyAgent(proxy, { keepAlive: true });
    }
  }

  /** Called by Node's ClientRequest for every request made with this agent. */
  addRequest(req: http.ClientRequest, options: { host?: string | null; hostname?: string | null; port?: number | string | null }): void {
    const agent = this.pick(options);
    this.routed[agent === this.viaProxy ? 'proxy' : 'direct'] += 1;
    const target = agent as unknown as { addRequest(r: http.ClientRequest, o: unknown): void };
    // HttpsProxyAgent keeps its constructor's TLS options for the proxy connection only; the TLS
    // session with the destination, inside the CONNECT tunnel, takes them from the request's options.
    target.addRequest(req, agent === this.viaProxy && this.secure ? { ...options, ...this.tlsOpts } : options);
  }

  private pick(options: { host?: string | null; hostname?: string | null; port?: number | string | null }): http.Agent {
    if (!this.viaProxy) return this.direct;
    const host = options.hostname ?? options.host ?? 'localhost';
    const port = Number(options.port ?? (this.secure ? 443 : 80));
    return shouldBypassProxy(host, port, this.route.noProxy) ? this.direct : this.viaProxy;
  }

  override destroy(): void {
    this.direct.destroy();
    this.viaProxy?.destroy();
    super.destroy();
  }
}

/** An agent for `http:` (secure=false) or `https:` (secure=true) destinations that routes each request. */
export function createRoutingAgent(secure: boolean, route: ProxyRoute, tlsOptions: AgentTlsOptions = {}): RoutingHttpAgent {
  return new RoutingAgent(secure, route, tlsOptions);
}

/** Strips credentials from a proxy URL for logs. */
export function describeProxy(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(unparseable proxy URL)';
  }
}
