import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSoarEmulator, type SoarEmulator } from '../../../emulators/soar/index.js';
import { RawStompClient } from '../support/stomp-raw-client.js';

const REFRESH = 'func_aws_guardduty_refresh_finding';
let soar: SoarEmulator;
let ca: string;
const clients: RawStompClient[] = [];

async function login(...args: [string?, string?, string?]): Promise<RawStompClient> {
  const { client, connected } = await RawStompClient.login(soar.stompPort ?? 0, ca, ...args);
  clients.push(client);
  expect(connected.command).toBe('CONNECTED');
  return client;
}

function reply(client: RawStompClient, correlationId: string, body: Record<string, unknown>): void {
  client.send('SEND', { destination: '/queue/acks.201.fn_aws_gd', 'correlation-id': correlationId }, JSON.stringify(body));
}

beforeEach(async () => {
  soar = await startSoarEmulator({
    stomp: true,
    apiKeys: [
      { id: 'demo-key', secret: 'demo-secret' },
      { id: 'other-key', secret: 'other-secret' },
    ],
  });
  ca = fs.readFileSync(soar.caPath ?? '', 'utf8');
  soar.defineDestination({ programmatic_name: 'fn_aws_gd', api_keys: ['demo-key'] });
  soar.defineFunction({
    name: REFRESH,
    display_name: 'AWS GuardDuty: Refresh Finding',
    destination_handle: 'fn_aws_gd',
    view_items: [{ content: 'c0ffee00-0000-4000-8000-000000000001' }],
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await soar.close();
});

describe('SOAR emulator STOMP broker: login and subscription', () => {
  it('answers CONNECT as SOAR does, with the heartbeat resilient-circuits asks for', async () => {
    const { client, connected } = await RawStompClient.login(soar.stompPort ?? 0, ca);
    clients.push(client);
    expect(connected.headers).toMatchObject({ version: '1.2', server: 'ActiveMQ/5.15.14', 'heart-beat': '15000,0' });
    expect(connected.headers.session).toMatch(/^ID:/);
    expect(soar.stompConnections()).toEqual([expect.objectContaining({ principal: 'demo-key', heartbeatMs: 15000 })]);
  });

  it('logs a user in with email and password too', async () => {
    await login('demo@example.com', 'demo-password');
    expect(soar.stompConnections()[0]?.principal).toBe('demo@example.com');
  });

  it('lets a user who is one of the destination\'s users subscribe', async () => {
    soar.defineDestination({ programmatic_name: 'fn_user_dest', users: [1] });
    soar.defineFunction({ name: 'fn_for_user', destination_handle: 'fn_user_dest' });
    const client = await login('demo@example.com', 'demo-password');
    client.subscribe(201, 'fn_user_dest');
    soar.invoke({ function: 'fn_for_user' });
    expect((await client.message()).headers.destination).toBe('/queue/actions.201.fn_user_dest');
  });

  it('refuses bad credentials with an ERROR frame, then closes the connection', async () => {
    const { client, connected } = await RawStompClient.login(soar.stompPort ?? 0, ca, 'demo-key', 'wrong');
    expect(connected.command).toBe('ERROR');
    expect(connected.headers.message).toBe('User name [demo-key] or password is invalid.');
    await client.closed;
  });

  it('refuses a subscription by a key that is not a user of the destination, and one to an unknown destination, as ActiveMQ does: an ERROR naming the queue, on an open connection', async () => {
    for (const [key, destination] of [
      ['other-key', 'fn_aws_gd'],
      ['demo-key', 'fn_missing'],
    ] as const) {
      const client = await login(key, key === 'other-key' ? 'other-secret' : 'demo-secret');
      client.send('SUBSCRIBE', { destination: `actions.201.${destination}`, id: `actions.201.${destination}`, ack: 'client-individual', receipt: 'sub-1' });
      const error = await client.next((f) => f.command === 'ERROR');
      expect(error.headers).toMatchObject({ message: `User ${key} is not authorized to read from: queue://actions.201.${destination}`, 'receipt-id': 'sub-1' });
      // The connection stays open and answers: a client that asked for no receipt would not notice it consumes nothing.
      await client.sync();
      expect(soar.stompConnections().find((c) => c.principal === key)?.subscriptions).toEqual([]);
    }
  });

  it('sends heartbeats at the negotiated interval when a test shortens the broker\'s', async () => {
    await soar.close();
    soar = await startSoarEmulator({ stomp: true, stompHeartbeatMs: 20 });
    ca = fs.readFileSync(soar.caPath ?? '', 'utf8');
    const { client, connected } = await RawStompClient.login(soar.stompPort ?? 0, ca, 'demo-key', 'demo-secret', '0,30');
    clients.push(client);
    expect(connected.headers['heart-beat']).toBe('30,0');
    await client.waitForHeartbeats(3);
    expect(client.heartbeats).toBeGreaterThanOrEqual(3);
  });
});

describe('SOAR emulator STOMP broker: keep-alives as ActiveMQ sends them', () => {
  // The broker's checks run on setInterval: faking only that (the sockets stay real) steps them one by one.
  const keepAlives = (): number => soar.stompConnections()[0]?.keepAlives ?? -1;

  it('checks every promised interval and skips the keep-alive after a check that saw a frame go out', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await login();
    // CONNECTED went out since the start: the first check skips.
    vi.advanceTimersByTime(15_000);
    expect(keepAlives()).toBe(0);
    vi.advanceTimersByTime(15_000);
    vi.advanceTimersByTime(15_000);
    expect(keepAlives()).toBe(2);
    // A RECEIPT just after a check: the next check skips, so the silence is almost two intervals (27.8–28.7 s seen on SOAR).
    await clients[0]?.sync();
    vi.advanceTimersByTime(15_000);
    expect(keepAlives()).toBe(2);
    vi.advanceTimersByTime(15_000);
    expect(keepAlives()).toBe(3);
    await clients[0]?.waitForHeartbeats(3);
  });

  it('with the keepAliveEveryMs fault, sends them at that cadence, later than the heart-beat it promised', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    expect(soar.setStompFaults({ keepAliveEveryMs: 40_000 })).toMatchObject({ keepAliveEveryMs: 40_000 });
    const { client, connected } = await RawStompClient.login(soar.stompPort ?? 0, ca);
    clients.push(client);
    expect(connected.headers['heart-beat']).toBe('15000,0');
    vi.advanceTimersByTime(39_999);
    expect(keepAlives()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(keepAlives()).toBe(1);
    // A fixed cadence: traffic neither hastens nor skips the next one.
    await client.sync();
    vi.advanceTimersByTime(40_000);
    expect(keepAlives()).toBe(2);
    await client.waitForHeartbeats(2);
  });
});

describe('SOAR emulator STOMP broker: invocations', () => {
  it('delivers an invocation with SOAR\'s headers and body, waiting for a subscriber', async () => {
    const { invocationId } = soar.invoke({ function: REFRESH, inputs: { incident_id: 2095, aws_gd_region: 'us-east-1' }, incidentId: 2095 });
    expect(invocationId).toBe('invid:1');
    const client = await login();
    client.subscribe(201);
    const message = await client.message();
    expect(message.headers).toMatchObject({
      destination: '/queue/actions.201.fn_aws_gd',
      subscription: 'actions.201.fn_aws_gd',
      'reply-to': '/queue/acks.201.fn_aws_gd',
      'correlation-id': 'invid:1',
      Co3MessagePayload: 'FunctionDataDTO',
      Co3ContentType: 'application/json',
      persistent: 'true',
      priority: '4',
      expires: '0',
    });
    expect(message.headers['message-id']).toMatch(/^ID:/);
    expect(message.headers.ack).not.toBe(message.headers['message-id']);
    expect(message.headers.Co3ContextToken?.split('.')).toHaveLength(3);
    expect(Number(message.headers.timestamp)).toBeGreaterThan(0);
    expect(message.headers.redelivered).toBeUndefined();
    const body = JSON.parse(message.body) as Record<string, any>;
    expect(Object.keys(body).sort()).toEqual(['function', 'groups', 'inputs', 'playbook_instance', 'principal', 'workflow', 'workflow_instance']);
    expect(body.function).toMatchObject({ name: REFRESH, display_name: 'AWS GuardDuty: Refresh Finding', view_items: [{ element: 'field_uuid', content: 'c0ffee00-0000-4000-8000-000000000001', field_type: '__function' }] });
    expect(body.inputs).toEqual({ incident_id: 2095, aws_gd_region: 'us-east-1' });
    expect(body.principal).toMatchObject({ type: 'user', name: 'demo@example.com' });
    expect(body.playbook_instance).toBeNull();
    expect(body.workflow_instance.workflow_instance_id).toEqual(expect.any(Number));
  });

  it('records status messages, the final reply and the ACK; a second final reply is counted', async () => {
    const client = await login();
    client.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH, inputs: {} });
    const message = await client.message();
    reply(client, invocationId, { message_type: 0, message: 'Starting', complete: false });
    reply(client, invocationId, { message_type: 0, message: 'Half way', complete: false });
    client.send('ACK', { id: message.headers.ack ?? '' });
    reply(client, invocationId, { message_type: 0, message: 'Completed', complete: true, results: { version: 2.0, success: true, content: { ok: 1 } } });
    const done = await soar.waitForInvocation(invocationId, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'done', messages: ['Starting', 'Half way'], acked: true, deliveries: 1, finalReplies: 1 });
    expect(done.result).toMatchObject({ complete: true, results: { success: true, content: { ok: 1 } } });
    reply(client, invocationId, { message_type: 0, message: 'Completed', complete: true, results: {} });
    await client.sync();
    expect(soar.invocation(invocationId)?.finalReplies).toBe(2);
  });

  it('marks an invocation whose final reply has message_type 1 as an error', async () => {
    const client = await login();
    client.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH });
    const message = await client.message();
    client.send('ACK', { id: message.headers.ack ?? '' });
    reply(client, invocationId, { message_type: 1, message: 'aws_gd_region is required', complete: true });
    expect(await soar.waitForInvocation(invocationId)).toMatchObject({ status: 'error', acked: true, result: { message: 'aws_gd_region is required' } });
  });

  it('redelivers an un-ACKed message after a reconnect: same message-id, new ack id, redelivered', async () => {
    const first = await login();
    first.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH });
    const delivered = await first.message();
    await first.destroy();
    const second = await login();
    second.subscribe(201);
    const again = await second.message();
    expect(again.headers['message-id']).toBe(delivered.headers['message-id']);
    expect(again.headers.ack).not.toBe(delivered.headers.ack);
    expect(again.headers.redelivered).toBe('true');
    // The old connection's ack id means nothing on the new one, as in ActiveMQ.
    expect(soar.invocation(invocationId)).toMatchObject({ deliveries: 2, acked: false });
    second.send('ACK', { id: again.headers.ack ?? '' });
    await second.sync();
    expect(soar.invocation(invocationId)).toMatchObject({ acked: true, deliveries: 2 });
    // Once ACKed it is never delivered again.
    await second.destroy();
    const third = await login();
    third.subscribe(201);
    await third.sync();
    expect(third.pending('MESSAGE')).toEqual([]);
  });

  it('keeps at most prefetchSize un-ACKed messages in flight per subscription', async () => {
    const client = await login();
    client.subscribe(201, 'fn_aws_gd', 2);
    const ids = [1, 2, 3, 4, 5].map(() => soar.invoke({ function: REFRESH }).invocationId);
    await client.sync();
    const inFlight = client.pending('MESSAGE');
    expect(inFlight.map((m) => m.headers['correlation-id'])).toEqual(ids.slice(0, 2));
    const firstMessage = await client.message();
    client.send('ACK', { id: firstMessage.headers.ack ?? '' });
    await client.sync();
    expect(client.pending('MESSAGE').map((m) => m.headers['correlation-id'])).toEqual([ids[1], ids[2]]);
    expect(soar.stompConnections()[0]?.subscriptions[0]).toMatchObject({ prefetch: 2, inFlight: 2 });
  });

  it('redelivers a NACKed message, which does not count as ACKed', async () => {
    const client = await login();
    client.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH });
    const first = await client.message();
    client.send('NACK', { id: first.headers.ack ?? '' });
    const again = await client.message();
    expect(again.headers['message-id']).toBe(first.headers['message-id']);
    expect(again.headers.redelivered).toBe('true');
    expect(soar.invocation(invocationId)).toMatchObject({ acked: false, deliveries: 2 });
  });

  it('refuses an ACK with an id it never handed out on this connection', async () => {
    const client = await login();
    client.send('ACK', { id: 'ID:not-delivered:1' });
    const error = await client.next((f) => f.command === 'ERROR');
    expect(error.headers.message).toContain('Unexpected ACK');
    await client.closed;
  });
});

describe('SOAR emulator STOMP broker: faults', () => {
  it('drops the connection right after the next delivery; the message comes back on reconnect', async () => {
    soar.setStompFaults({ dropAfterNextDelivery: true });
    const client = await login();
    client.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH });
    const first = await client.message();
    await client.closed;
    const again = await login();
    again.subscribe(201);
    const redelivered = await again.message();
    expect(redelivered.headers['message-id']).toBe(first.headers['message-id']);
    expect(soar.invocation(invocationId)?.deliveries).toBe(2);
  });

  it('drops a connection after N frames, so the frame after them is lost', async () => {
    const client = await login();
    client.subscribe(201);
    const { invocationId } = soar.invoke({ function: REFRESH });
    const message = await client.message();
    soar.setStompFaults({ dropAfterFrames: 1 });
    reply(client, invocationId, { message_type: 0, message: 'status', complete: false });
    client.send('ACK', { id: message.headers.ack ?? '' });
    await client.closed;
    expect(soar.invocation(invocationId)).toMatchObject({ messages: ['status'], acked: false });
  });

  it('delays every frame it sends, keeping their order', async () => {
    const client = await login();
    client.subscribe(201);
    soar.setStompFaults({ delayMs: 30 });
    const started = performance.now();
    const ids = [1, 2, 3].map(() => soar.invoke({ function: REFRESH }).invocationId);
    await client.sync();
    expect(client.pending('MESSAGE').map((m) => m.headers['correlation-id'])).toEqual(ids);
    // Four frames (three MESSAGEs, the RECEIPT), one after the other, each held 30 ms: a lower bound only.
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('refuses new connections while told to, and drops every connection on demand', async () => {
    const client = await login();
    expect(soar.dropStompConnections()).toBe(1);
    await client.closed;
    soar.setStompFaults({ refuseConnections: 1 });
    await expect(RawStompClient.login(soar.stompPort ?? 0, ca)).rejects.toThrow();
    await login();
  });
});
