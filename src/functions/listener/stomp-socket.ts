import tls from 'node:tls';
import type { IStompSocket } from '@stomp/stompjs';
import { readCaTrust } from '../../util/ca-file.js';

/** Where and how the STOMP connection goes: always TLS (SOAR has no plain STOMP port). */
export interface StompTarget {
  host: string;
  port: number;
  /** `stomp_cafile`/`cafile` read: a CA bundle, or verification turned off by the operator. */
  tls: { ca?: string; rejectUnauthorized?: boolean };
  /** TCP + TLS handshake limit (`stomp_timeout`). */
  timeoutMs: number;
}

/**
 * `stomp_cafile` (else `cafile`) as TLS options: a PEM file's contents, `false` = no verification,
 * unset = the system CAs. An unreadable file is a configuration error, named with its fix.
 */
export function stompTlsOptions(cafile: string | false | undefined): StompTarget['tls'] {
  return readCaTrust(
    cafile, 'resilient.stomp_cafile',
    'point stomp_cafile (or cafile) at the CA bundle that signed the SOAR STOMP certificate, or remove both to use the system CAs',
  );
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

/**
 * A TLS socket dressed as the WebSocket-like object @stomp/stompjs drives (it has no Node TCP
 * transport of its own). SNI and hostname verification use the STOMP host, as resilient-circuits
 * does. The connection goes direct, never through `[resilient] proxy_host`: resilient-circuits'
 * STOMP client swallows the proxy keys too (reference §1.1), so an IBM deployment already has a
 * direct route to port 65001, and forward proxies commonly allow CONNECT only to port 443 (Squid's
 * default SSL_ports), so tunnelling would break working setups rather than fix any. `check` says
 * so when a proxy is configured.
 */
export function openStompSocket(target: StompTarget): IStompSocket {
  const socket = tls.connect({ host: target.host, port: target.port, servername: isIp(target.host) ? undefined : target.host, ...target.tls });
  const adapter: IStompSocket = {
    url: `stomp+ssl://${target.host}:${target.port}`,
    binaryType: 'arraybuffer',
    readyState: CONNECTING,
    onclose: null,
    onerror: null,
    onmessage: null,
    onopen: null,
    close: () => (adapter.readyState === OPEN ? socket.end() : socket.destroy()),
    terminate: () => socket.destroy(),
    send: (data) => void socket.write(typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer)),
  };
  const setState = (state: number): void => void Object.assign(adapter, { readyState: state });
  socket.setTimeout(target.timeoutMs, () => socket.destroy(new Error(`no TLS connection to ${target.host}:${target.port} within ${target.timeoutMs} ms`)));
  socket.on('secureConnect', () => {
    socket.setTimeout(0);
    setState(OPEN);
    adapter.onopen?.();
  });
  socket.on('data', (chunk: Buffer) => {
    adapter.onmessage?.({ data: chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) });
  });
  socket.on('error', (error) => {
    adapter.onerror?.(error);
  });
  socket.on('close', () => {
    setState(CLOSED);
    adapter.onclose?.({ code: 1000, reason: '' });
  });
  return adapter;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
