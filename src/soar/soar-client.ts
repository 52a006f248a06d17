import type { SoarConfig } from '../config/app-config.js';
import type { RouteCounts } from '../util/proxy-routing.js';
import { CatalogApi } from './catalog-api.js';
import { IncidentApi } from './incident-api.js';
import { SessionApi } from './session-api.js';
import { createSoarHttp, type SoarHttp, type SoarHttpDeps } from './soar-http.js';

/**
 * IBM SOAR over REST: one adapter per caller, all behind the same HTTP core (one session, one org
 * id, one retry loop, one proxy agent). `session` is the org discovery (the functions listener),
 * `incidents` the sync's `CaseSystem`, `catalog` what `setup` and `check` read and create.
 */
export class SoarClient {
  readonly session: SessionApi;
  readonly incidents: IncidentApi;
  readonly catalog: CatalogApi;

  constructor(
    config: SoarConfig,
    private readonly http: SoarHttp,
  ) {
    this.session = new SessionApi(config, http);
    this.incidents = new IncidentApi(http, this.session);
    this.catalog = new CatalogApi(http, this.session);
  }

  /** True when `cafile = false` (the composition root warns loudly). */
  get tlsVerificationDisabled(): boolean {
    return this.http.tlsVerificationDisabled;
  }

  /** Requests sent through the proxy and straight to SOAR so far. */
  get routed(): RouteCounts {
    return this.http.routed;
  }

  /** Releases keep-alive sockets (shutdown, tests). */
  close(): void {
    this.http.close();
  }
}

export function createSoarClient(config: SoarConfig, deps: SoarHttpDeps): SoarClient {
  return new SoarClient(config, createSoarHttp(config, deps));
}
