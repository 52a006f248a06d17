import { describe, expect, it } from 'vitest';
import { FunctionInputError } from '../../../src/functions/function-types.js';
import { inputsDigest, parseInvocation, readDelivery } from '../../../src/functions/listener/invocation.js';
import { errorReply, replyText, successReply, type ReplyBody } from '../../../src/functions/listener/replies.js';
import { JsonFloat } from '../../../src/functions/json-float.js';

const body = (over: Record<string, unknown> = {}): string =>
  JSON.stringify({ function: { name: 'aws_guardduty_get_ipset', id: 3 }, inputs: {}, workflow_instance: { workflow_instance_id: 55 }, playbook_instance: null, ...over });

describe('reading an invocation (reference §3)', () => {
  it('takes the function from function.name and normalises every wire shape of an input', () => {
    const inv = parseInvocation(body({
      inputs: {
        text: 'x', number: 1630407352685, flag: false, rich: { format: 'text', content: 'hello' },
        select: { id: 53, name: 'us-west-2' }, multi: [{ id: 55, name: 'a' }, { id: 56, name: 'b' }], missing: null,
      },
    }));
    expect(inv).toEqual({
      functionName: 'aws_guardduty_get_ipset', workflowInstanceId: 55,
      inputs: { text: 'x', number: 1630407352685, flag: false, rich: 'hello', select: 'us-west-2', multi: ['a', 'b'], missing: null },
    });
  });

  it('never requires workflow_instance (playbooks may not send one)', () => {
    expect(parseInvocation(body({ workflow_instance: undefined })).workflowInstanceId).toBeUndefined();
  });

  it('refuses what it cannot use, naming it', () => {
    expect(() => parseInvocation('not json')).toThrow(/not JSON/);
    expect(() => parseInvocation(JSON.stringify({ inputs: {} }))).toThrow(/no function\.name/);
    expect(() => parseInvocation(body({ inputs: { aws_gd_region: { odd: true } } }))).toThrow(FunctionInputError);
    expect(() => parseInvocation(body({ inputs: { aws_gd_region: { odd: true } } }))).toThrow(/Input aws_gd_region: expected/);
  });

  it('needs message-id, reply-to and correlation-id to answer; ACKs with the ack header', () => {
    expect(readDelivery({ 'message-id': 'ID:1', ack: 'ID:9', 'reply-to': '/queue/acks.201.fn_aws_gd', 'correlation-id': 'invid:4' }))
      .toEqual({ messageId: 'ID:1', ackId: 'ID:9', replyTo: '/queue/acks.201.fn_aws_gd', correlationId: 'invid:4' });
    expect(readDelivery({ 'message-id': 'ID:1', 'reply-to': '/queue/x' })).toBeUndefined();
  });

  it('digests inputs whatever their key order', () => {
    expect(inputsDigest({ a: 1, b: 'x' })).toBe(inputsDigest({ b: 'x', a: 1 }));
    expect(inputsDigest({ a: 1 })).not.toBe(inputsDigest({ a: 2 }));
  });
});

describe('replies (reference §4)', () => {
  it('a result is the v2 payload resilient-circuits sends, an error a message_type 1', () => {
    const reply = successReply({ success: false, reason: 'no such IPSet', content: null }, { a: 'b' }, { name: 'guardduty-soar', version: '1.2.3' }, 41.6, Date.UTC(2026, 0, 2, 3, 4, 5));
    const text = replyText(reply);
    expect(JSON.parse(text)).toMatchObject({
      message_type: 0, message: 'Completed', complete: true,
      results: { version: 2, success: false, reason: 'no such IPSet', content: null, raw: null, inputs: { a: 'b' }, metrics: { version: '1.0', package: 'guardduty-soar', package_version: '1.2.3', execution_time_ms: 42 } },
    });
    // Python's json.dumps writes resilient-lib's float version as 2.0, with resilient-circuits' indent of 2.
    expect(text).toContain('\n    "version": 2.0,\n');
    expect(reply.results?.metrics.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(errorReply('Input x: expected y')).toEqual({ message_type: 1, message: 'Input x: expected y', complete: true });
  });

  it('a v1 outcome (IBM\'s refresh and archive) is the payload of resilient-lib\'s ResultPayload: version "1.0", raw ""', () => {
    const reply = successReply({ success: true, reason: null, content: { status: 'ok' }, payloadVersion: 1 }, {}, { name: 'guardduty-soar', version: '1.2.3' }, 1, 0);
    expect(JSON.parse(replyText(reply)).results).toMatchObject({ version: '1.0', raw: '', success: true, reason: null, content: { status: 'ok' } });
  });

  it('writes JsonFloat values as Python floats, also after the stored reply\'s JSON round trip', () => {
    const content = { severity: new JsonFloat(8), other: new JsonFloat(5.3), small: new JsonFloat(1e-7), n: 8, text: '8.0' };
    const reply = successReply({ success: true, reason: null, content }, {}, { name: 'p', version: '1' }, 1, 0);
    const text = replyText(reply);
    expect(text).toContain('"severity": 8.0,');
    expect(text).toContain('"other": 5.3,');
    expect(text).toContain('"small": 1e-7,');
    expect(text).toContain('"n": 8,');
    expect(text).toContain('"text": "8.0"');
    expect(JSON.parse(text).results.content).toEqual({ severity: 8, other: 5.3, small: 1e-7, n: 8, text: '8.0' });
    // The invocation record stores the reply as JSON and answers a redelivery from it.
    expect(replyText(JSON.parse(JSON.stringify(reply)) as ReplyBody)).toBe(text);
  });
});
