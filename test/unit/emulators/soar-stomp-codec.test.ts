import { describe, expect, it } from 'vitest';
import { FrameParser, StompProtocolError, encodeFrame, escapeHeader, unescapeHeader, type ParsedItem } from '../../../emulators/soar/stomp/frame-codec.js';

const frames = (items: ParsedItem[]): unknown[] => items.map((i) => (i.kind === 'frame' ? { ...i.frame, headers: { ...i.frame.headers } } : 'heartbeat'));

describe('STOMP frame codec', () => {
  it('reads a frame split into single bytes exactly once, when its NUL arrives', () => {
    const bytes = encodeFrame({ command: 'SEND', headers: { destination: '/queue/acks.201.fn_aws_gd', 'correlation-id': 'invid:7' }, body: '{"complete":true}' });
    const parser = new FrameParser();
    const seen: ParsedItem[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const got = parser.push(bytes.subarray(i, i + 1));
      if (i < bytes.length - 1) expect(got).toEqual([]);
      seen.push(...got);
    }
    expect(frames(seen)).toEqual([
      { command: 'SEND', headers: { destination: '/queue/acks.201.fn_aws_gd', 'correlation-id': 'invid:7', 'content-length': '17' }, body: '{"complete":true}' },
    ]);
  });

  it('reads frames and heartbeats packed into one chunk, with LF or CRLF line ends', () => {
    const crlf = Buffer.from('ACK\r\nid:ID\\cabc:5\r\n\r\n\0', 'utf8');
    const chunk = Buffer.concat([Buffer.from('\n\r\n'), encodeFrame({ command: 'ACK', headers: { id: 'a1' }, body: '' }), Buffer.from('\n'), crlf]);
    expect(frames(new FrameParser().push(chunk))).toEqual([
      'heartbeat',
      'heartbeat',
      { command: 'ACK', headers: { id: 'a1' }, body: '' },
      'heartbeat',
      { command: 'ACK', headers: { id: 'ID:abc:5' }, body: '' },
    ]);
  });

  it('takes a content-length body holding NULs and multi-byte text, split mid-character', () => {
    const body = 'a\0b — é';
    const bytes = encodeFrame({ command: 'MESSAGE', headers: { 'message-id': 'm1' }, body });
    expect(bytes.includes(Buffer.from(`content-length:${Buffer.byteLength(body)}\n`))).toBe(true);
    const parser = new FrameParser();
    const cut = bytes.length - 3;
    expect(parser.push(bytes.subarray(0, cut))).toEqual([]);
    const [item] = parser.push(bytes.subarray(cut));
    expect(item?.kind === 'frame' && item.frame.body).toBe(body);
  });

  it('escapes and unescapes header names and values, but not on CONNECT and CONNECTED', () => {
    const value = 'back\\slash:colon\nnewline\rreturn';
    expect(unescapeHeader(escapeHeader(value))).toBe(value);
    const bytes = encodeFrame({ command: 'MESSAGE', headers: { 'a:b': value }, body: '' }).toString('utf8');
    expect(bytes).toContain('a\\cb:back\\\\slash\\ccolon\\nnewline\\rreturn\n');
    expect(frames(new FrameParser().push(Buffer.from(bytes)))).toEqual([{ command: 'MESSAGE', headers: { 'a:b': value }, body: '' }]);
    // A password with a backslash or colon goes through CONNECT untouched.
    const connect = encodeFrame({ command: 'CONNECT', headers: { login: 'k', passcode: 'p\\c:x' }, body: '' });
    expect(connect.toString('utf8')).toContain('passcode:p\\c:x\n');
    const [parsed] = new FrameParser().push(connect);
    expect(parsed?.kind === 'frame' && parsed.frame.headers.passcode).toBe('p\\c:x');
  });

  it('keeps the first of repeated headers and treats __proto__ as a plain header', () => {
    const [item] = new FrameParser().push(Buffer.from('SEND\nx:1\nx:2\n__proto__:y\n\nhi\0'));
    expect(item?.kind === 'frame' && item.frame.headers.x).toBe('1');
    expect(item?.kind === 'frame' && item.frame.headers.__proto__).toBe('y');
  });

  it('refuses undefined escapes and a body not ended by NUL at content-length', () => {
    expect(() => new FrameParser().push(Buffer.from('SEND\nx:\\t\n\n\0'))).toThrow(StompProtocolError);
    expect(() => new FrameParser().push(Buffer.from('SEND\ncontent-length:2\n\nabc\0'))).toThrow(/NUL/);
  });
});
