import { createHash } from 'node:crypto';
import { FunctionInputError, type FunctionInputs, type InputValue } from '../function-types.js';

/** The STOMP headers every reply and the ACK need (reference §3.1). */
export interface Delivery {
  messageId: string;
  /** The `ack` header: the id an ACK names (it changes on every delivery of one message). */
  ackId: string;
  replyTo: string;
  correlationId: string;
}

/** A function invocation read from a MESSAGE body (§3.2), inputs normalised (§3.3). */
export interface Invocation {
  functionName: string;
  inputs: FunctionInputs;
  workflowInstanceId: number | undefined;
}

/** A MESSAGE the listener cannot use: answered with an error reply when it can be answered at all. */
export class InvocationFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvocationFormatError';
  }
}

/** The reply headers of a MESSAGE, or undefined when one is missing (such a message cannot be answered, only ACKed). */
export function readDelivery(headers: Readonly<Record<string, string>>): Delivery | undefined {
  const messageId = headers['message-id'];
  const ackId = headers.ack ?? messageId;
  const replyTo = headers['reply-to'];
  const correlationId = headers['correlation-id'];
  if (!messageId || !ackId || !replyTo || !correlationId) return undefined;
  return { messageId, ackId, replyTo, correlationId };
}

/**
 * The JSON body of a function invocation. The function's name is `function.name` (no header carries
 * it); `workflow_instance` is read defensively, because playbook invocations may not carry it.
 */
export function parseInvocation(body: string): Invocation {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvocationFormatError('The message body is not JSON; expected a SOAR function invocation (FunctionDataDTO)');
  }
  const message = asRecord(parsed);
  const name = asRecord(message?.function)?.name;
  if (typeof name !== 'string' || name === '') {
    throw new InvocationFormatError('The message has no function.name; expected a SOAR function invocation (FunctionDataDTO)');
  }
  const rawInputs = message?.inputs ?? {};
  const inputs = asRecord(rawInputs);
  if (!inputs) throw new InvocationFormatError(`The inputs of ${name} are not an object`);
  const wfId = asRecord(message?.workflow_instance)?.workflow_instance_id;
  return { functionName: name, inputs: normaliseInputs(inputs), workflowInstanceId: typeof wfId === 'number' ? wfId : undefined };
}

/**
 * SOAR's wire shapes → plain values, as resilient-lib's `validate_fields` does: rich text → its
 * content, select → its label, multiselect → labels; absent and null are the same (null).
 */
export function normaliseInputs(raw: Readonly<Record<string, unknown>>): FunctionInputs {
  const out: Record<string, InputValue> = {};
  for (const [name, value] of Object.entries(raw)) out[name] = normaliseValue(name, value);
  return out;
}

function normaliseValue(name: string, value: unknown): InputValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => labelOf(name, item));
  const record = asRecord(value);
  if (record && 'content' in record) {
    if (typeof record.content === 'string' || record.content === null) return record.content;
  }
  if (record && 'name' in record) return labelOf(name, record);
  throw new FunctionInputError(name, 'a text, number, boolean, rich text, select or multiselect value', value);
}

function labelOf(name: string, item: unknown): string {
  if (typeof item === 'string') return item;
  const label = asRecord(item)?.name;
  if (typeof label === 'string') return label;
  throw new FunctionInputError(name, 'select values of the form {"id": N, "name": "<label>"}', item);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A digest of normalised inputs (key order ignored): recorded instead of the inputs, which may be sensitive. */
export function inputsDigest(inputs: FunctionInputs): string {
  const sorted = Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
