import net from 'node:net';
import tls from 'node:tls';
import { Client } from '@stomp/stompjs';
import { errorMessage } from '../core/errors.js';
import { MESSAGE_DESTINATION } from '../functions/definitions.js';
import { openStompSocket, stompTlsOptions, type StompTarget } from '../functions/listener/stomp-socket.js';
import type { App } from '../app/app.js';
import type { OrgInfo } from '../soar/case-system.js';
import type { CheckOutput } from './check-output.js';

const NAMES = { reachable: 'SOAR STOMP reachable', tls: 'SOAR STOMP TLS', login: 'SOAR STOMP login', subscription: 'SOAR STOMP subscription' } as const;

/**
 * The STOMP side of the SOAR functions, as the daemon's listener will meet it: the port answers,
 * the certificate verifies, SOAR accepts the login, and it lets the key subscribe to
 * `actions.<org>.fn_aws_gd` (it refuses a key that is not a user of the destination). Each stage
 * runs only when the one before passed. The subscription is dropped at once without ACKing
 * anything, so an invocation it may have been handed goes back to the queue for the daemon.
 */
export async function checkStomp(app: App, org: OrgInfo, out: CheckOutput): Promise<void> {
  const { functions, soar } = app.config;
  if (!functions.enabled) {
    out({ verdict: 'OK', name: 'SOAR STOMP', detail: 'not used (aws_gd_functions = false: the daemon only polls)' });
    return;
  }
  const where = `${functions.host}:${functions.port}`;
  const reach = await tcpReach(functions.host, functions.port, functions.timeoutMs);
  if (reach) {
    out({
      verdict: 'FAIL', name: NAMES.reachable, detail: `${where}: ${reach}`,
      fix: 'Set [resilient] stomp_host / stomp_port to SOAR\'s STOMP endpoint (default: the host name of host, port 65001; Cloud Pak for Security: its STOMP URL, port 443) and let the daemon reach it through the firewall.',
    });
    return;
  }
  out({ verdict: 'OK', name: NAMES.reachable, detail: `${where} answered${soar.proxy ? ' (directly: STOMP does not use the [resilient] proxy, as in resilient-circuits)' : ''}` });
  const target: StompTarget = { host: functions.host, port: functions.port, tls: stompTlsOptions(functions.cafile), timeoutMs: functions.timeoutMs };
  const handshake = await tlsHandshake(target);
  if (handshake) {
    out({
      verdict: 'FAIL', name: NAMES.tls, detail: handshake,
      fix: 'Point stomp_cafile (or cafile) at the PEM bundle of the CA that signed SOAR\'s STOMP certificate; the name in stomp_host must be one the certificate names.',
    });
    return;
  }
  out(functions.cafile === false
    ? { verdict: 'WARN', name: NAMES.tls, detail: 'certificate NOT verified (stomp_cafile/cafile = false): anyone on the path can read the API key', fix: 'Point stomp_cafile at the CA that signed the STOMP certificate.' }
    : { verdict: 'OK', name: NAMES.tls, detail: 'certificate verified' });
  const login = soar.auth.kind === 'apikey' ? { login: soar.auth.id, passcode: soar.auth.secret } : { login: soar.auth.email, passcode: soar.auth.password };
  const destination = `actions.${org.id}.${MESSAGE_DESTINATION.programmaticName}`;
  const session = await stompSession(target, login, destination);
  if (session.stage === 'login') {
    out({ verdict: 'FAIL', name: NAMES.login, detail: session.error ?? 'refused', fix: 'Use the API key id and secret (or email and password) that the REST checks above accepted; SOAR\'s STOMP login takes the same ones.' });
    return;
  }
  out({ verdict: 'OK', name: NAMES.login, detail: `${login.login} accepted` });
  out(session.stage === 'subscription'
    ? {
        verdict: 'FAIL', name: NAMES.subscription, detail: `${destination}: ${session.error ?? 'refused'}`,
        fix: `Run \`guardduty-soar setup\` (it makes the key a user of ${MESSAGE_DESTINATION.programmaticName}), or add it under Customization Settings > Message Destinations.`,
      }
    : { verdict: 'OK', name: NAMES.subscription, detail: `${destination} accepted` });
}

/** undefined when something accepts TCP connections there; else why not. */
function tcpReach(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs / 1000} s (stomp_timeout)`)));
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err) => resolve(errorMessage(err)));
  });
}

/** undefined when the TLS handshake (with the configured verification) succeeds; else why not. */
function tlsHandshake(target: StompTarget): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: target.host, port: target.port, servername: net.isIP(target.host) ? undefined : target.host, ...target.tls });
    socket.setTimeout(target.timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${target.timeoutMs / 1000} s`)));
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err) => resolve(errorMessage(err)));
  });
}

/** CONNECT, then SUBSCRIBE with a receipt; which stage failed, if any. */
function stompSession(target: StompTarget, login: { login: string; passcode: string }, destination: string): Promise<{ stage: 'login' | 'subscription' | 'ok'; error?: string }> {
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const finish = (result: { stage: 'login' | 'subscription' | 'ok'; error?: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void client.deactivate();
      resolve(result);
    };
    const client = new Client({
      webSocketFactory: () => openStompSocket(target),
      connectHeaders: { ...login, host: target.host },
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      reconnectDelay: 0,
      debug: () => undefined,
      onConnect: () => {
        connected = true;
        const receipt = `check-${Date.now()}`;
        client.watchForReceipt(receipt, () => finish({ stage: 'ok' }));
        client.subscribe(destination, () => undefined, { id: destination, ack: 'client-individual', 'activemq.prefetchSize': '1', receipt });
      },
      onStompError: (frame) => finish({ stage: connected ? 'subscription' : 'login', error: frame.headers.message ?? frame.body }),
      onWebSocketClose: () => finish({ stage: connected ? 'subscription' : 'login', error: 'the connection closed' }),
    });
    const timer = setTimeout(() => finish({ stage: connected ? 'subscription' : 'login', error: `no answer within ${target.timeoutMs / 1000} s (stomp_timeout)` }), target.timeoutMs);
    client.activate();
  });
}
