/**
 * STOMP 1.2 frames on the wire: `COMMAND EOL (name:value EOL)* EOL body NUL`, EOLs (`\n` or `\r\n`)
 * between frames as heartbeats. The parser takes TCP chunks as they come, so a frame may be split
 * across chunks or several frames (and heartbeats) packed into one.
 */

export interface StompFrame {
  command: string;
  /** Repeated headers: the first one wins (STOMP 1.2 §"Repeated Header Entries"). */
  headers: Record<string, string>;
  /** The body as UTF-8 text (every body SOAR and the app exchange is JSON). */
  body: string;
}

export type ParsedItem = { kind: 'frame'; frame: StompFrame } | { kind: 'heartbeat' };

export class StompProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StompProtocolError';
  }
}

/** [I] ActiveMQ's default maxFrameSize is far larger; 10 MB bounds a broken client's memory use. */
export const MAX_FRAME_BYTES = 10 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

/** CONNECT and CONNECTED headers are never escaped (STOMP 1.2 §"Value Encoding"). */
function escapes(command: string): boolean {
  return command !== 'CONNECT' && command !== 'CONNECTED';
}

export function escapeHeader(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

export function unescapeHeader(value: string): string {
  return value.replace(/\\(.?)/g, (_, c: string) => {
    switch (c) {
      case '\\':
        return '\\';
      case 'r':
        return '\r';
      case 'n':
        return '\n';
      case 'c':
        return ':';
      default:
        // An undefined escape is a fatal protocol error in 1.2.
        throw new StompProtocolError(`undefined escape sequence "\\${c}" in a header`);
    }
  });
}

/** A frame's bytes; `content-length` is always set for a non-empty body so it may hold NULs. */
export function encodeFrame(frame: StompFrame): Buffer {
  const body = Buffer.from(frame.body, 'utf8');
  const headers = { ...frame.headers };
  if (body.length > 0 && headers['content-length'] === undefined) headers['content-length'] = String(body.length);
  const escape = escapes(frame.command) ? escapeHeader : (v: string): string => v;
  const head = Object.entries(headers)
    .map(([name, value]) => `${escape(name)}:${escape(value)}\n`)
    .join('');
  return Buffer.concat([Buffer.from(`${frame.command}\n${head}\n`, 'utf8'), body, Buffer.from([NUL])]);
}

export const HEARTBEAT = Buffer.from('\n');

export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);

  /** Everything complete in the bytes so far, in order; an incomplete tail waits for the next chunk. */
  push(chunk: Buffer): ParsedItem[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const items: ParsedItem[] = [];
    for (;;) {
      const heartbeat = this.heartbeatLength();
      if (heartbeat === undefined) break;
      if (heartbeat > 0) {
        this.buffer = this.buffer.subarray(heartbeat);
        items.push({ kind: 'heartbeat' });
        continue;
      }
      const frame = this.nextFrame();
      if (!frame) break;
      items.push({ kind: 'frame', frame });
    }
    if (this.buffer.length > MAX_FRAME_BYTES) throw new StompProtocolError(`frame larger than ${MAX_FRAME_BYTES} bytes`);
    return items;
  }

  /** Bytes of a leading EOL, 0 when a frame starts here, undefined when more bytes are needed. */
  private heartbeatLength(): number | undefined {
    if (this.buffer.length === 0) return undefined;
    if (this.buffer[0] === LF) return 1;
    if (this.buffer[0] !== CR) return 0;
    if (this.buffer.length < 2) return undefined;
    return this.buffer[1] === LF ? 2 : 0;
  }

  private nextFrame(): StompFrame | undefined {
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const lf = this.buffer.indexOf(LF, offset);
      if (lf < 0) return undefined;
      const end = lf > offset && this.buffer[lf - 1] === CR ? lf - 1 : lf;
      const line = this.buffer.toString('utf8', offset, end);
      offset = lf + 1;
      if (line === '') break;
      lines.push(line);
    }
    const [command, ...headerLines] = lines;
    if (!command) throw new StompProtocolError('a frame without a command');
    const headers = parseHeaders(command, headerLines);
    const length = headers['content-length'];
    let bodyEnd: number;
    if (length !== undefined) {
      if (!/^\d+$/.test(length)) throw new StompProtocolError(`invalid content-length "${length}"`);
      bodyEnd = offset + Number(length);
      if (this.buffer.length <= bodyEnd) return undefined;
      if (this.buffer[bodyEnd] !== NUL) throw new StompProtocolError('the body is not followed by NUL at content-length');
    } else {
      bodyEnd = this.buffer.indexOf(NUL, offset);
      if (bodyEnd < 0) return undefined;
    }
    const body = this.buffer.toString('utf8', offset, bodyEnd);
    this.buffer = this.buffer.subarray(bodyEnd + 1);
    return { command, headers, body };
  }
}

function parseHeaders(command: string, lines: string[]): Record<string, string> {
  const decode = escapes(command) ? unescapeHeader : (v: string): string => v;
  // No prototype: a header named `__proto__` or `constructor` is just a header.
  const headers = Object.create(null) as Record<string, string>;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) throw new StompProtocolError(`a header line without a colon: "${line.slice(0, 80)}"`);
    const name = decode(line.slice(0, colon));
    if (!Object.hasOwn(headers, name)) headers[name] = decode(line.slice(colon + 1));
  }
  return headers;
}
