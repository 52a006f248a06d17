import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { invocationBody, invocationHeaders } from '../../../emulators/soar/stomp/invocation-message.js';
import type { FunctionRecord } from '../../../emulators/soar/state/functions-store.js';
import { runCommand } from '../../../src/commands/run.js';
import { statusCommand } from '../../../src/commands/status.js';
import { activeMqMissing, startActiveMq, type ActiveMq } from '../../helpers/activemq.js';
import { freePort } from '../../helpers/daemon-process.js';
import { until } from '../../helpers/wait.js';
import { RawStompClient } from '../support/stomp-raw-client.js';
import { logLines, startHarness, type CapturedIo, type Harness } from '../../helpers/harness.js';

/**
 * The daemon's functions listener against the real broker SOAR runs: Apache ActiveMQ Classic from
 * Debian's `activemq` package (5.17), started by these tests (test/helpers/activemq.ts). SOAR's REST
 * side is the emulator's; the STOMP side is ActiveMQ's, with its own authentication, authorization
 * and heart-beats. This test plays SOAR's part on the broker: it puts an invocation on the queue (the
 * message the emulator's functions-emulation sends) and reads the reply from reply-to.
 *
 * Where ActiveMQ is not installed these tests say so and skip; with CI=true they fail instead
 * (.ci/run installs it), so CI cannot pass without them.
 */

const ORG = 201;
const DESTINATION = `actions.${ORG}.fn_aws_gd`;
const REPLY_TO = `/queue/acks.${ORG}.fn_aws_gd`;
const MEMBER = { id: 'demo-key', secret: 'demo-secret' };
const OUTSIDER = { id: 'outsider-key', secret: 'outsider-secret' };
const LIST_IPSET = 'aws_guardduty_list_ipset';
/** A real broker under load: its states may take half a minute. */
const BROKER_WAIT = { timeoutMs: 30_000, everyMs: 50 };

const missing = activeMqMissing();
const mustRun = process.env.CI === 'true';

if (missing && !mustRun) {
  console.warn(`functions/activemq.test.ts: SKIPPED, ActiveMQ cannot run here: ${missing}. The listener is still tested against the SOAR emulator's broker.`);
}

describe.runIf(missing && mustRun)('ActiveMQ on CI', () => {
  it('is installed: CI runs the listener against the broker SOAR runs (.ci/run installs Debian\'s activemq)', () => {
    expect.fail(`ActiveMQ cannot run here: ${missing ?? ''}`);
  });
});

describe.skipIf(missing !== undefined)(`the functions listener against ActiveMQ 5.17 (${missing ? `skipped: ${missing}` : 'Debian\'s activemq'})`, () => {
  let amq: ActiveMq;
  let h: Harness | undefined;
  let soar: RawStompClient | undefined;
  let stopDaemon: ((signal: string) => void) | undefined;
  let daemon: Promise<number> | undefined;

  beforeAll(async () => {
    amq = await startActiveMq({ orgId: ORG, destination: 'fn_aws_gd', users: [{ login: MEMBER.id, passcode: MEMBER.secret, member: true }, { login: OUTSIDER.id, passcode: OUTSIDER.secret, member: false }] });
    console.log(`ActiveMQ started in ${(amq.startupMs / 1000).toFixed(1)} s on 127.0.0.1:${amq.port}`);
  });

  afterAll(async () => {
    await amq?.stop();
  });

  afterEach(async () => {
    stopDaemon?.('SIGTERM');
    if (daemon) expect(await daemon).toBe(0);
    daemon = undefined;
    stopDaemon = undefined;
    await soar?.destroy();
    soar = undefined;
    await h?.close();
    h = undefined;
  });

  /** `run`, in-process, its REST side on the SOAR emulator and its STOMP side on ActiveMQ. */
  async function run(key: { id: string; secret: string }, healthPort?: number): Promise<CapturedIo> {
    h = await startHarness({
      findings: 0, soar: { apiKeys: [MEMBER, OUTSIDER], orgId: ORG },
      config: { aws_gd_regions: '^us-east-1$', ...(healthPort ? { aws_gd_health_port: String(healthPort) } : {}) },
    });
    h.configure({
      'resilient.api_key_id': key.id, 'resilient.api_key_secret': key.secret,
      'resilient.stomp_host': '127.0.0.1', 'resilient.stomp_port': String(amq.port), 'resilient.stomp_cafile': amq.caFile,
    });
    const io = h.io();
    daemon = runCommand(io, { config: h.configPath, healthHost: '127.0.0.1', signals: { onStop: (fn) => (stopDaemon = fn) } });
    return io;
  }

  /** SOAR's side of the broker: its own login, subscribed to the replies. */
  async function soarSide(): Promise<RawStompClient> {
    const { client, connected } = await RawStompClient.login(amq.port, amq.caPem, amq.soar.login, amq.soar.passcode, '0,0');
    expect(connected.command).toBe('CONNECTED');
    client.send('SUBSCRIBE', { destination: REPLY_TO, id: 'replies', ack: 'auto', receipt: 'replies' });
    await client.next((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'replies');
    return client;
  }

  /** The messages still on the queue (delivered but un-ACKed ones too), by browsing it. */
  async function queued(client: RawStompClient, n: number): Promise<string[]> {
    const id = `browse-${n}`;
    client.send('SUBSCRIBE', { destination: `/queue/${DESTINATION}`, id, browser: 'true', ack: 'auto' });
    const ids: string[] = [];
    for (;;) {
      const frame = await client.next((f) => f.command === 'MESSAGE' && f.headers.subscription === id);
      if (frame.headers.browser === 'end') break;
      ids.push(frame.headers['message-id'] ?? '');
    }
    client.send('UNSUBSCRIBE', { id });
    return ids;
  }

  it('is serving once ActiveMQ confirms the subscription; an invocation put on the queue is answered on reply-to and ACKed', async () => {
    const io = await run(MEMBER);
    await until(() => logLines(io.out()).some((l) => l.message === 'Serving SOAR functions'), 'serving', BROKER_WAIT);
    expect(logLines(io.out()).find((l) => l.message === 'Serving SOAR functions')).toMatchObject({ destination: DESTINATION, port: amq.port });

    soar = await soarSide();
    const detector = h?.aws.detectorsOf()['us-east-1'] ?? '';
    const fn = { id: 7, name: LIST_IPSET, display_name: 'AWS GuardDuty: List IPSets', destination_handle: 'fn_aws_gd', view_items: [], tags: [], workflows: [] } as unknown as FunctionRecord;
    const message = {
      fn, inputs: { aws_gd_region: 'us-east-1', aws_gd_detector_id: detector }, orgId: ORG, invocationNumber: 1, messageId: 'unused: ActiveMQ assigns its own',
      principal: { display_name: 'Demo User', id: 1, name: 'demo@example.com', type: 'user' as const },
      workflow: { programmatic_name: 'wf_list', name: 'List', workflow_id: 7, workflow_instance_id: 1001 }, now: Date.now(),
    };
    const { 'message-id': _ignored, ...headers } = invocationHeaders(message);
    soar.send('SEND', { ...headers, destination: `/queue/${DESTINATION}`, receipt: 'invoked' }, JSON.stringify(invocationBody(message)));
    await soar.next((f) => f.command === 'RECEIPT' && f.headers['receipt-id'] === 'invoked');

    const replies: Record<string, unknown>[] = [];
    while (!replies.some((r) => r.complete === true)) {
      const frame = await soar.next((f) => f.command === 'MESSAGE' && f.headers.subscription === 'replies');
      expect(frame.headers['correlation-id']).toBe('invid:1');
      replies.push(JSON.parse(frame.body) as Record<string, unknown>);
    }
    expect(replies.map((r) => r.message)).toEqual([`Starting App Function: '${LIST_IPSET}'`, `Finished running App Function: '${LIST_IPSET}'`, 'Completed']);
    expect(replies.at(-1)).toMatchObject({ message_type: 0, complete: true, results: { version: 2.0, success: true, content: [] } });
    // ACKed: the queue holds nothing, not even a delivered, un-ACKed message (the ACK follows the reply).
    let n = 0;
    await until(async () => (await queued(soar as RawStompClient, ++n)).length === 0, 'the invocation ACKed', { ...BROKER_WAIT, timeoutMs: 10_000 });
    expect(h?.incidents()).toEqual([]);
  });

  it('a key ActiveMQ does not let read the queue: the ERROR logged with the fix, never "serving", retried on the backoff; /readyz, status and /metrics show it', async () => {
    const port = await freePort();
    const io = await run(OUTSIDER, port);
    const refusals = (): Record<string, unknown>[] => logLines(io.out()).filter((l) => l.level === 'error' && String(l.message).startsWith(`SOAR's broker refused the subscription to ${DESTINATION}`));
    await until(() => refusals().length >= 3, 'three refused attempts', BROKER_WAIT);

    const [first, second, third] = refusals();
    expect(first).toMatchObject({
      error: `User ${OUTSIDER.id} is not authorized to read from: queue://${DESTINATION}`,
      fix: expect.stringMatching(/^Make "outsider-key" a user of the message destination fn_aws_gd: run "guardduty-soar setup"/),
    });
    // The waits grow (1 s, then 2 s, then 4 s, each with jitter down to half).
    const waits = [first, second, third].map((l) => Number(l?.retryInMs));
    expect(waits[0]).toBeLessThanOrEqual(1_000);
    expect(waits[1]).toBeGreaterThanOrEqual(waits[0] ?? 0);
    expect(waits[2]).toBeGreaterThanOrEqual(waits[1] ?? 0);
    expect(logLines(io.out()).some((l) => l.message === 'Serving SOAR functions')).toBe(false);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { functions: unknown }).functions).toMatchObject({
      status: 'refused', stage: 'subscription', destination: DESTINATION, error: `User ${OUTSIDER.id} is not authorized to read from: queue://${DESTINATION}`,
      fix: expect.stringContaining('guardduty-soar setup'),
    });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^guardduty_soar_functions_listener_state\{state="refused"\} 1$/m);
    expect(metrics).toMatch(/^guardduty_soar_stomp_connected 0$/m);
    expect(metrics).toMatch(/^guardduty_soar_stomp_refusals_total\{stage="subscription"\} [3-9]$/m);
    const statusIo = h?.io();
    expect(statusCommand(statusIo as CapturedIo, { config: h?.configPath ?? '' })).toBe(0);
    expect(statusIo?.out()).toContain(`last error: User ${OUTSIDER.id} is not authorized to read from: queue://${DESTINATION}\n  fix: Make "outsider-key" a user`);
  });
});
