import type { Clock } from '../../../src/core/clock.js';
import type { SoarConfig } from '../../../src/config/app-config.js';
import { silentLogger } from '../../../src/logging/logger.js';
import type { ApiCallEvent } from '../../../src/util/api-observer.js';
import { createSoarClient, type SoarClient } from '../../../src/soar/soar-client.js';
import type nock from 'nock';

export const BASE = 'https://soar.test';
export const ORG_ID = 201;
export const ORG = `/rest/orgs/${ORG_ID}`;
export const KEY_ID = 'key-id-1234';
export const KEY_SECRET = 'sUp3r-s3cret-value';
export const BASIC = `Basic ${Buffer.from(`${KEY_ID}:${KEY_SECRET}`).toString('base64')}`;

export function soarConfig(overrides: Partial<SoarConfig> = {}): SoarConfig {
  return {
    baseUrl: BASE,
    resourcePrefix: '',
    org: 'Acme SOC',
    auth: { kind: 'apikey', id: KEY_ID, secret: KEY_SECRET },
    cafile: undefined,
    timeoutMs: 5_000,
    proxy: undefined,
    ...overrides,
  };
}

/** A clock whose sleeps return at once and are recorded, so backoff costs no real time. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

export interface Harness {
  client: SoarClient;
  clock: ReturnType<typeof fakeClock>;
  calls: ApiCallEvent[];
}

/** A client with a fake clock, jitter fixed at its maximum, and a recording observer. */
export function harness(config: SoarConfig = soarConfig()): Harness {
  const clock = fakeClock();
  const calls: ApiCallEvent[] = [];
  const client = createSoarClient(config, {
    clock,
    logger: silentLogger(),
    observer: { onCall: (e) => calls.push(e) },
    random: () => 0.999,
  });
  return { client, clock, calls };
}

export function sessionBody(orgs: Record<string, unknown>[] = [acmeOrg()]): Record<string, unknown> {
  return { orgs, csrf_token: 'csrf-token-1', user_id: 7, api_key_handle: 3, session_ip: '10.0.0.9' };
}

export function acmeOrg(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: ORG_ID, name: 'Acme SOC', uuid: 'c0ffee00-0000-4000-8000-000000000001', cloud_account: 'acme-cloud', enabled: true, ...overrides };
}

/** The org lookup every API-key client makes once before its first org call. */
export function expectSession(scope: nock.Scope, orgs?: Record<string, unknown>[]): nock.Scope {
  return scope.get('/rest/session').query({ include_permissions: 'false' }).reply(200, sessionBody(orgs));
}

export function incident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 2314,
    name: 'AWS GuardDuty: Unusual API call',
    plan_status: 'A',
    vers: 4,
    create_date: 1_767_225_600_000,
    inc_last_modified_date: 1_767_229_200_000,
    resolution_id: null,
    properties: { aws_guardduty_finding_id: 'f-1', aws_guardduty_count: '1', aws_guardduty_trigger_refresh: false },
    ...overrides,
  };
}

export function ibmError(message: string, errorCode = 'generic'): Record<string, unknown> {
  return { success: false, title: null, message, hints: [], error_code: errorCode };
}
