import type { Logger } from '../logging/logger.js';

/**
 * The contract between the message-destination listener (which receives invocations over STOMP,
 * records them, replies and ACKs) and the SOAR functions (one file each, under `handlers/`).
 * Neither side sees the other's internals: the listener knows a function only as a
 * `FunctionHandler` under its API name.
 */

/** An input value after normalisation (reference §3.3): textarea → its content, select → its label, multiselect → labels. */
export type InputValue = string | number | boolean | string[] | null;

/** Normalised inputs by API name; a missing input and `null` are the same. */
export type FunctionInputs = Readonly<Record<string, InputValue>>;

/** What a function answers; the listener wraps it in the result payload (version, success, reason, content, raw, inputs, metrics). */
export interface FunctionOutcome {
  success: boolean;
  reason: string | null;
  content: unknown;
  /**
   * The payload version: 2 (the default) as resilient-circuits' `@app_function` writes it
   * (`version` 2.0, `raw` null); 1 as the older `@function` components with `ResultPayload` write it
   * (`version` "1.0", `raw` ""), which IBM's refresh and archive functions still are.
   */
  payloadVersion?: 1 | 2;
}

export interface FunctionCall {
  /** The function's API name (`function.name` of the message body). */
  name: string;
  inputs: FunctionInputs;
  /**
   * The STOMP `message-id`: the same on every redelivery of one invocation. A function that creates
   * something derives its idempotency token from it, so a redelivery after a crash creates nothing twice.
   */
  messageId: string;
  /** `workflow_instance.workflow_instance_id`, when SOAR sent one (never required). */
  workflowInstanceId: number | undefined;
  /** Sends an interim status message to SOAR (`message_type` 0, `complete` false). Never throws. */
  status(text: string): Promise<void>;
  logger: Logger;
  /** Aborted when the daemon stops; a function stops at its next safe point. */
  signal: AbortSignal;
}

export type FunctionHandler = (call: FunctionCall) => Promise<FunctionOutcome>;

/**
 * Bad input: the listener answers with an error reply (`message_type` 1) naming the input and what
 * was expected, ACKs, and nothing is changed. Thrown before any side effect.
 */
export class FunctionInputError extends Error {
  constructor(
    readonly input: string,
    readonly expected: string,
    readonly found?: unknown,
  ) {
    super(`Input ${input}: expected ${expected}${found === undefined || found === null ? '' : `, found ${JSON.stringify(found)}`}`);
    this.name = 'FunctionInputError';
  }
}

/** A function name the daemon does not serve: also an error reply, ACKed. */
export class UnknownFunctionError extends Error {
  constructor(readonly functionName: string, known: readonly string[]) {
    super(`Unknown function ${JSON.stringify(functionName)} on message destination fn_aws_gd; this app serves: ${known.join(', ')}`);
    this.name = 'UnknownFunctionError';
  }
}
