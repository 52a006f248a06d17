import { randomBytes } from 'node:crypto';
import type { FunctionRecord } from '../state/functions-store.js';

/**
 * The MESSAGE SOAR sends for one function invocation (soar-functions-contract.md §3.1 headers, §3.2
 * body). The per-delivery headers (`subscription`, `ack`, `redelivered`) are added by the queue.
 */

export interface InvocationPrincipal {
  display_name: string;
  id: number;
  name: string;
  type: 'user';
}

export interface InvocationWorkflow {
  programmatic_name: string;
  name: string;
  workflow_id: number;
  workflow_instance_id: number;
}

export interface InvocationMessageInput {
  fn: FunctionRecord;
  inputs: Record<string, unknown>;
  orgId: number;
  invocationNumber: number;
  messageId: string;
  principal: InvocationPrincipal;
  workflow: InvocationWorkflow;
  now: number;
}

export function invocationHeaders(input: InvocationMessageInput): Record<string, string> {
  const queue = `${input.orgId}.${input.fn.destination_handle}`;
  return {
    destination: `/queue/actions.${queue}`,
    'message-id': input.messageId,
    'reply-to': `/queue/acks.${queue}`,
    'correlation-id': `invid:${input.invocationNumber}`,
    Co3MessagePayload: 'FunctionDataDTO',
    Co3ContentType: 'application/json',
    Co3ContextToken: contextToken(input),
    Co3RemoteAddr: '127.0.0.1',
    JMSXUserID: 'SYSTEM',
    persistent: 'true',
    priority: '4',
    timestamp: String(input.now),
    expires: '0',
  };
}

export function invocationBody(input: InvocationMessageInput): Record<string, unknown> {
  const { fn, workflow } = input;
  const workflowJson = {
    actions: [],
    description: `Emulated workflow calling ${fn.name}`,
    name: workflow.name,
    object_type: { id: 0, name: 'incident' },
    programmatic_name: workflow.programmatic_name,
    tags: [],
    uuid: `00000000-0000-4000-8013-${String(workflow.workflow_id).padStart(12, '0')}`,
    workflow_id: workflow.workflow_id,
  };
  return {
    function: {
      creator: fn.creator,
      description: fn.description,
      display_name: fn.display_name,
      id: fn.id,
      name: fn.name,
      tags: fn.tags,
      uuid: fn.uuid,
      version: fn.version,
      view_items: fn.view_items,
      workflows: fn.workflows,
    },
    groups: [],
    inputs: input.inputs,
    // [I] The playbook shape was never seen (contract §3.2); the emulator sends the workflow case.
    playbook_instance: null,
    principal: input.principal,
    workflow: workflowJson,
    workflow_instance: { workflow: workflowJson, workflow_instance_id: workflow.workflow_instance_id },
  };
}

/**
 * [I] A JWT-shaped token: SOAR signs its own; nobody verifies it against the emulator, and the app
 * only passes it back as `X-Co3ContextToken` if at all.
 */
function contextToken(input: InvocationMessageInput): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { org: input.orgId, inv: input.invocationNumber, fn: input.fn.name, iat: Math.floor(input.now / 1000) };
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${randomBytes(32).toString('base64url')}`;
}
