import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../../emulators/index.js';
import { RawStompClient } from '../support/stomp-raw-client.js';

const ARCHIVE = 'func_aws_guardduty_archive_finding';
let emu: Emulators;
let client: RawStompClient | undefined;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${emu.soar.url}/__admin${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

beforeEach(async () => {
  emu = await startEmulators();
});

afterEach(async () => {
  await client?.destroy();
  client = undefined;
  await emu.close();
});

describe('SOAR emulator functions admin API over HTTP', () => {
  it('startEmulators runs the broker and describe() says where, with the CA file', () => {
    const info = emu.describe();
    expect(info.stomp).toBe(emu.soar.stompPort);
    expect(info.stomp).toEqual(expect.any(Number));
    expect(info.ca).toBe(emu.ca.caPath);
    expect(info.soar).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('seeds definitions, invokes, and reports the invocation as the app answers it', async () => {
    expect((await admin('POST', '/functions/destinations', { programmatic_name: 'fn_aws_gd', api_keys: [100] })).status).toBe(200);
    expect((await admin('POST', '/functions/definitions', { name: ARCHIVE, destination_handle: 'fn_aws_gd' })).status).toBe(200);
    const missing = await admin('POST', '/functions/invoke', { function: 'func_nope', inputs: {} });
    expect(missing.status).toBe(404);
    expect(missing.json.message).toContain('func_nope');

    const invoked = await admin('POST', '/functions/invoke', { function: ARCHIVE, inputs: { aws_gd_region: 'us-east-1' }, incidentId: 2095 });
    expect(invoked).toEqual({ status: 200, json: { invocationId: 'invid:1' } });
    expect((await admin('GET', '/functions/invocations/invid:1')).json).toMatchObject({ status: 'pending', messages: [], result: null, acked: false, deliveries: 0, incidentId: 2095 });

    // The key handle 100 (the session's api_key_handle of demo-key) is the destination's user.
    const { client: c, connected } = await RawStompClient.login(emu.soar.stompPort ?? 0, emu.ca.caCert);
    client = c;
    expect(connected.command).toBe('CONNECTED');
    c.subscribe(emu.soar.orgId);
    const message = await c.message();
    const connections = await admin('GET', '/stomp/connections');
    expect(connections.json).toEqual([expect.objectContaining({ principal: 'demo-key', subscriptions: [expect.objectContaining({ destination: 'fn_aws_gd', inFlight: 1 })] })]);
    c.send('SEND', { destination: message.headers['reply-to'] ?? '', 'correlation-id': 'invid:1' }, JSON.stringify({ message_type: 0, message: 'Starting', complete: false }));
    c.send('ACK', { id: message.headers.ack ?? '' });
    c.send('SEND', { destination: message.headers['reply-to'] ?? '', 'correlation-id': 'invid:1' }, JSON.stringify({ message_type: 0, message: 'Completed', complete: true, results: { content: { status: 'ok' } } }));
    await emu.soar.waitForInvocation('invid:1');

    const view = await admin('GET', '/functions/invocations/invid:1');
    expect(view.json).toMatchObject({ status: 'done', messages: ['Starting'], acked: true, deliveries: 1, result: { results: { content: { status: 'ok' } } } });
    const list = await admin('GET', '/functions/invocations');
    expect(list.json.map((i: { invocationId: string }) => i.invocationId)).toEqual(['invid:1']);
    expect((await admin('GET', '/functions/invocations/invid:9')).status).toBe(404);

    // A reset forgets the invocations and, with the org's state, the definitions.
    await admin('POST', '/reset');
    expect((await admin('GET', '/functions/invocations')).json).toEqual([]);
    expect((await admin('GET', '/functions/definitions')).json).toEqual({ destinations: [], functions: [] });
  });

  it('faults the broker: drop now, and refuse connections', async () => {
    const { client: c } = await RawStompClient.login(emu.soar.stompPort ?? 0, emu.ca.caCert);
    const dropped = await admin('POST', '/stomp/faults', { dropNow: true, refuseConnections: 1 });
    expect(dropped.json).toMatchObject({ droppedNow: 1, refuseConnections: 1 });
    await c.closed;
    await expect(RawStompClient.login(emu.soar.stompPort ?? 0, emu.ca.caCert)).rejects.toThrow();
    expect((await admin('GET', '/stomp/faults')).json).toMatchObject({ refused: 1, refuseConnections: 0 });
    expect((await admin('POST', '/stomp/faults', { dropAfterFrames: 0 })).status).toBe(400);
    expect((await admin('DELETE', '/stomp/faults')).json).toEqual({ cleared: true });
  });
});
