import { describe, expect, it } from 'vitest';
import { FunctionInputError } from '../../../src/functions/function-types.js';
import { inputsDigest, parseInvocation, readDelivery } from '../../../src/functions/listener/invocation.js';
import { errorReply, successReply } from '../../../src/functions/listener/replies.js';

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
    expect(reply).toMatchObject({
      message_type: 0, message: 'Completed', complete: true,
      results: { version: 2, success: false, reason: 'no such IPSet', content: null, raw: null, inputs: { a: 'b' }, metrics: { version: '1.0', package: 'guardduty-soar', package_version: '1.2.3', execution_time_ms: 42 } },
    });
    expect(reply.results?.metrics.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(errorReply('Input x: expected y')).toEqual({ message_type: 1, message: 'Input x: expected y', complete: true });
  });
});
