import net from 'node:net';
import nock from 'nock';
import { afterEach, beforeEach } from 'vitest';

/**
 * The one HTTP-mocking helper of the unit tests, on nock. While a test uses it:
 * - real network is off, loopback included: a request nobody mocked fails at once;
 * - every unmatched request is recorded and fails the test at the end, even if the code under
 *   test swallowed the error;
 * - every mock that was not used fails the test at the end.
 *
 * `useHttpMock()` wires this into `beforeEach`/`afterEach`; `createHttpMock()` is for manual use.
 */
export interface HttpMock {
  /** Interceptors for one origin, e.g. `https://soar.test`. */
  origin(base: string, options?: nock.Options): nock.Scope;
  /**
   * For a test that starts its own server on 127.0.0.1 (e.g. real TLS): interception is switched
   * off until the end of the test, and every socket to a non-loopback host is refused instead.
   */
  allowLoopback(): void;
  /** Requests that matched no mock so far, as `METHOD url`. */
  unmatched(): string[];
  /** Throws if a mock was not used or a request matched none; then removes every mock. */
  assertAllUsed(): void;
  /** Network off, no mocks, nothing recorded. */
  start(): void;
  /** Removes every mock and allowance without asserting. */
  reset(): void;
}

export function useHttpMock(): HttpMock {
  const mock = createHttpMock();
  beforeEach(() => mock.start());
  afterEach(() => mock.assertAllUsed());
  return mock;
}

export function createHttpMock(): HttpMock {
  const unmatched: string[] = [];
  let restoreSockets: (() => void) | undefined;
  const onNoMatch = (req: unknown, options?: unknown): void => {
    unmatched.push(describeRequest(options ?? req));
  };

  const reset = (): void => {
    nock.emitter.removeListener('no match', onNoMatch);
    restoreSockets?.();
    restoreSockets = undefined;
    if (!nock.isActive()) nock.activate();
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.disableNetConnect();
  };

  return {
    origin: (base, options) => nock(base, options),
    allowLoopback: () => {
      // nock's pass-through cannot use agent-base agents (they connect asynchronously), so real
      // requests bypass nock entirely and a socket-level guard keeps them on this machine.
      nock.restore();
      restoreSockets ??= refuseNonLoopbackSockets();
    },
    unmatched: () => [...unmatched],
    start: () => {
      reset();
      unmatched.length = 0;
      nock.emitter.on('no match', onNoMatch);
    },
    reset,
    assertAllUsed: () => {
      const pending = nock.pendingMocks();
      const strays = [...unmatched];
      reset();
      const problems = [
        ...pending.map((m) => `  mock never called: ${m}`),
        ...strays.map((r) => `  request matched no mock: ${r}`),
      ];
      if (problems.length > 0) throw new Error(`HTTP mock check failed:\n${problems.join('\n')}`);
    },
  };
}

/**
 * A network failure for `replyWithError`. Pass an Error, never a plain `{code, message}` object:
 * with nock 14 the object form leaves the request hanging until the client's timeout.
 */
export function networkError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

function describeRequest(value: unknown): string {
  const r = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const method = typeof r['method'] === 'string' ? r['method'] : 'GET';
  const text = (key: string, fallback: string): string => (typeof r[key] === 'string' ? r[key] : fallback);
  const url = text('href', `${text('proto', 'http')}://${text('host', '?')}${text('path', '')}`);
  return `${method} ${url}`;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

/** Patches `net.Socket#connect` (which TLS and HTTP agents all go through) to refuse other hosts. */
function refuseNonLoopbackSockets(): () => void {
  const original = net.Socket.prototype.connect;
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const host = targetHost(args);
    if (host !== undefined && !LOOPBACK.has(host)) {
      const err = Object.assign(new Error(`http-mock: real connection to ${host} refused (only loopback is allowed)`), {
        code: 'ENETUNREACH',
      });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return Reflect.apply(original, this, args) as net.Socket;
  };
  net.Socket.prototype.connect = guarded;
  return () => {
    net.Socket.prototype.connect = original;
  };
}

/** The host a `connect` call targets; undefined for IPC paths. Node passes normalised args as an array. */
function targetHost(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (typeof first === 'object' && first !== null) {
    const opts = first as { host?: unknown; path?: unknown };
    if (typeof opts.path === 'string' && opts.host === undefined) return undefined;
    return typeof opts.host === 'string' ? opts.host : 'localhost';
  }
  return undefined;
}
