import fs from 'node:fs';
import { Client, type IMessage } from '@stomp/stompjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSoarEmulator, type SoarEmulator } from '../../../emulators/soar/index.js';
import { openStompSocket } from '../../../src/functions/listener/stomp-socket.js';

let soar: SoarEmulator | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.deactivate();
  await soar?.close();
});

describe('SOAR emulator STOMP broker with @stomp/stompjs', () => {
  it('serves the library the daemon uses: connect, subscribe, message, ACK and replies', async () => {
    soar = await startSoarEmulator({ stomp: true });
    const ca = fs.readFileSync(soar.caPath ?? '', 'utf8');
    soar.defineDestination({ programmatic_name: 'fn_aws_gd', api_keys: ['demo-key'] });
    soar.defineFunction({ name: 'func_aws_guardduty_archive_finding', destination_handle: 'fn_aws_gd' });
    const port = soar.stompPort ?? 0;
    const received = new Promise<IMessage>((resolve) => {
      client = new Client({
        webSocketFactory: () => openStompSocket({ host: '127.0.0.1', port, tls: { ca }, timeoutMs: 5_000 }),
        connectHeaders: { login: 'demo-key', passcode: 'demo-secret', host: '127.0.0.1' },
        heartbeatIncoming: 15000,
        heartbeatOutgoing: 0,
        reconnectDelay: 0,
        onConnect: () => client?.subscribe('actions.201.fn_aws_gd', resolve, { id: 'actions.201.fn_aws_gd', ack: 'client-individual', 'activemq.prefetchSize': '20' }),
      });
      client.activate();
    });
    const { invocationId } = soar.invoke({ function: 'func_aws_guardduty_archive_finding', inputs: { aws_gd_region: 'us-east-1' } });
    const message = await received;
    expect((JSON.parse(message.body) as { function: { name: string } }).function.name).toBe('func_aws_guardduty_archive_finding');
    const replyTo = message.headers['reply-to'] ?? '';
    client?.publish({ destination: replyTo, headers: { 'correlation-id': invocationId }, body: JSON.stringify({ message_type: 0, message: 'Starting', complete: false }) });
    message.ack();
    client?.publish({ destination: replyTo, headers: { 'correlation-id': invocationId }, body: JSON.stringify({ message_type: 0, message: 'Completed', complete: true, results: { content: { status: 'ok' } } }) });
    expect(await soar.waitForInvocation(invocationId)).toMatchObject({ status: 'done', messages: ['Starting'], acked: true, deliveries: 1 });
  });
});
