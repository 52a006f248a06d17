import { describe, expect, it } from 'vitest';
import { readiness, type HealthState } from '../../../src/health/health-server.js';
import type { ListenerSnapshot } from '../../../src/health/listener-state.js';
import { configText, load, sandbox } from '../config/config-fixture.js';

describe('the listener\'s configuration, with resilient-circuits\' fallbacks', () => {
  it('stomp_host → the host name of host, port 65001, stomp_cafile → cafile, stomp_prefetch_limit → num_workers, on by default', () => {
    const box = sandbox();
    const ca = box.write('ca.pem', '-----BEGIN CERTIFICATE-----\n');
    const config = load(box, configText({ resilient: { host: 'soar.example.com', cafile: ca, num_workers: '7' } }));
    expect(config.functions).toEqual({ enabled: true, host: 'soar.example.com', port: 65001, cafile: ca, timeoutMs: 60_000, prefetch: 7, workers: 7 });
  });

  it('takes every STOMP key IBM\'s app.config has, and aws_gd_functions = false turns the listener off', () => {
    const box = sandbox();
    const config = load(box, configText({
      resilient: { stomp_host: 'stomp.example.com', stomp_port: '443', stomp_cafile: 'false', stomp_timeout: '20', stomp_prefetch_limit: '3', num_workers: '9' },
      fn: { aws_gd_functions: 'false' },
    }));
    expect(config.functions).toEqual({ enabled: false, host: 'stomp.example.com', port: 443, cafile: false, timeoutMs: 20_000, prefetch: 3, workers: 9 });
  });
});

describe('/readyz and the listener', () => {
  const state = (functions: ListenerSnapshot): HealthState => ({
    lastTickAt: () => 1_000, lastCompletedAt: () => 1_000, lastCompletedOk: () => true, stopping: () => false,
    startedAt: 0, intervalMs: 600_000, now: () => 2_000, functions: () => functions,
  });
  const snapshot = (over: Partial<ListenerSnapshot>): ListenerSnapshot => ({
    status: 'connected', since: 1_500, destination: 'actions.201.fn_aws_gd', reconnects: 0, lastError: undefined, inFlight: 0, ...over,
  });

  it('shows a reconnecting listener, since when and why, and stays ready because polling works', () => {
    const [code, body] = readiness(state(snapshot({ status: 'reconnecting', reconnects: 4, lastError: 'connect ECONNREFUSED 10.0.0.5:65001' })));
    expect(code).toBe(200);
    expect(body).toMatchObject({ status: 'ok', functions: { status: 'reconnecting', since: new Date(1_500).toISOString(), reconnects: 4, lastError: 'connect ECONNREFUSED 10.0.0.5:65001' } });
  });

  it('names the other states an operator meets', () => {
    expect(readiness(state(snapshot({})))[1].functions).toMatchObject({ status: 'connected', destination: 'actions.201.fn_aws_gd' });
    expect(readiness(state(snapshot({ status: 'framework-off' })))[1].functions).toMatchObject({ status: 'framework-off' });
    expect(readiness(state(snapshot({ status: 'disabled' })))[1].functions).toEqual({ status: 'disabled' });
  });
});
