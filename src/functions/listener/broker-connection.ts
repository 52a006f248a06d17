import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import type { Clock } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import type { Refusal, RefusalStage } from '../../health/listener-state.js';
import { MESSAGE_DESTINATION } from '../function-definition.js';
import { openStompSocket, type StompTarget } from './stomp-socket.js';

/** How one connection ended. */
export interface ConnectionEnd {
  /** The broker confirmed the subscription on this connection: functions were served. */
  served: boolean;
  error: string;
  /** Set when an ERROR frame ended it. */
  refusal: Refusal | undefined;
}

export interface ConnectionParams {
  target: StompTarget;
  login: string;
  passcode: string;
  destination: string;
  prefetch: number;
  /** The heart-beat asked of the broker (SOAR: 15 s); the client sends none. */
  heartbeatMs: number;
  clock: Clock;
  /** True once the listener stops: a connection that gets CONNECTED then is closed without subscribing. */
  stopping(): boolean;
  /** The broker confirmed the subscription (its RECEIPT, or a first delivery on it). */
  onServing(client: Client): void;
  onMessage(client: Client, message: IMessage): void;
  /** The socket closed; called before `ended` resolves. */
  onClosed(client: Client, served: boolean): void;
}

/**
 * The broker's silence the read side tolerates, in heart-beat intervals. ActiveMQ promises 15 s
 * and, after traffic, skips a keep-alive (its check sends one only when nothing went out since the
 * last check), so silences of almost 30 s are normal: 27.8–28.7 s were measured on SOAR, within
 * about a second of stomp.js' default limit of 2 intervals (30 s), so any extra delay on the path
 * would drop a working connection. With 3, and stomp.js checking once per interval, a connection is
 * declared dead after 45–60 s of silence.
 */
export const HEARTBEAT_TOLERANCE = 3;

/**
 * One STOMP connection to SOAR's broker, from CONNECT to its close. The SUBSCRIBE asks for a
 * receipt: ActiveMQ answers a subscription its authorization refuses with an ERROR and keeps the
 * connection open, so only the RECEIPT tells that functions are served. Any ERROR frame closes the
 * connection (after one, the session's state is unknown) and ends it with the refusal and its fix.
 */
export function openBrokerConnection(p: ConnectionParams): { client: Client; ended: Promise<ConnectionEnd> } {
  let connected = false;
  let served = false;
  let error: string | undefined;
  let refusal: Refusal | undefined;
  // Stops the wait for the subscription's receipt once it is decided or the connection is gone.
  const receiptWait = new AbortController();
  let resolveEnd: (end: ConnectionEnd) => void = () => undefined;
  const ended = new Promise<ConnectionEnd>((resolve) => (resolveEnd = resolve));

  const serve = (): void => {
    if (served) return;
    served = true;
    receiptWait.abort();
    p.onServing(client);
  };
  const close = (): void => {
    // Not a DISCONNECT: after an ERROR the broker may answer nothing; the socket is cut at once.
    void client.deactivate({ force: true });
  };

  const client = new Client({
    webSocketFactory: () => openStompSocket(p.target),
    connectHeaders: { login: p.login, passcode: p.passcode, host: p.target.host },
    heartbeatIncoming: p.heartbeatMs,
    heartbeatOutgoing: 0,
    heartbeatToleranceMultiplier: HEARTBEAT_TOLERANCE,
    // A connection whose heart-beats stopped is cut, not closed politely: its peer is likely gone.
    discardWebsocketOnCommFailure: true,
    // Reconnecting is the listener's (backoff with jitter, counted); the library's would hide the drops.
    reconnectDelay: 0,
    connectionTimeout: p.target.timeoutMs,
    debug: () => undefined,
    onConnect: () => {
      connected = true;
      if (p.stopping()) {
        close();
        return;
      }
      const receipt = `subscribe-${p.destination}`;
      client.watchForReceipt(receipt, serve);
      client.subscribe(
        p.destination,
        (message) => {
          // A delivery proves the subscription as well as its receipt does (ActiveMQ may send it first).
          serve();
          p.onMessage(client, message);
        },
        { id: p.destination, ack: 'client-individual', 'activemq.prefetchSize': String(p.prefetch), receipt },
      );
      void p.clock.sleep(p.target.timeoutMs, receiptWait.signal).then(() => {
        if (served || receiptWait.signal.aborted) return;
        error = `SOAR's broker did not confirm the subscription to ${p.destination} within ${p.target.timeoutMs / 1000} s (stomp_timeout)`;
        close();
      });
    },
    onStompError: (frame: IFrame) => {
      if (refusal) return;
      const text = (frame.headers.message ?? frame.body).trim() || 'an ERROR frame without a message';
      const stage: RefusalStage = !connected ? 'login' : !served ? 'subscription' : 'session';
      refusal = { stage, error: text, fix: refusalFix(stage, text, p.login) };
      error = text;
      receiptWait.abort();
      close();
    },
    onHeartbeatLost: () => {
      error ??= `no heart-beat or data from SOAR's broker for more than ${(HEARTBEAT_TOLERANCE * p.heartbeatMs) / 1000} s (${HEARTBEAT_TOLERANCE} × its ${p.heartbeatMs / 1000} s heart-beat)`;
    },
    onWebSocketError: (ev: unknown) => {
      error ??= errorMessage(ev);
    },
    onWebSocketClose: () => {
      receiptWait.abort();
      p.onClosed(client, served);
      void client.deactivate();
      resolveEnd({ served, refusal, error: error ?? (served ? 'the connection closed' : connected ? 'the connection closed before the subscription was confirmed' : 'the connection closed before CONNECTED') });
    },
  });
  client.activate();
  return { client, ended };
}

/** The fix an operator needs for an ERROR frame: by stage, and for authorization by what SOAR grants. */
export function refusalFix(stage: RefusalStage, error: string, login: string): string {
  const destination = MESSAGE_DESTINATION.programmaticName;
  if (stage === 'login') {
    return 'SOAR\'s STOMP login is its REST login: check [resilient] api_key_id and api_key_secret (or email and password); "guardduty-soar check" tests both.';
  }
  if (/not authori[sz]ed/i.test(error)) {
    return `Make "${login}" a user of the message destination ${destination}: run "guardduty-soar setup" (it creates ${destination} if it is missing and adds ` +
      `the key to it), or add it in SOAR under Customization Settings > Message Destinations > ${destination}. The daemon retries by itself.`;
  }
  return stage === 'subscription'
    ? `"guardduty-soar check" tests the subscription to ${destination}; the broker's message says what it refused. The daemon retries by itself.`
    : 'The daemon reconnects by itself; if this repeats, the broker\'s message says what it refused.';
}
