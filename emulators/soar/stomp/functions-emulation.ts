import { SoarError } from '../errors.js';
import type { FunctionRecord, MessageDestinationRecord, NewDestination, NewFunction } from '../state/functions-store.js';
import type { SoarState } from '../state/soar-state.js';
import { DeliveryQueues } from './delivery-queues.js';
import { InvocationLog, type InvocationView, type WaitOptions } from './invocation-log.js';
import { invocationBody, invocationHeaders, type InvocationPrincipal } from './invocation-message.js';
import type { StompBroker } from './stomp-broker.js';
import { StompFaults, type StompFaultSettings, type StompFaultsView } from './stomp-faults.js';
import type { ConnectionView } from './stomp-session.js';

export interface InvokeRequest {
  /** The function's API name, as defined over REST or with `defineFunction`. */
  function: string;
  /** In the wire shapes SOAR sends (contract §3.3): text, `{format,content}`, `{id,name}`, numbers… */
  inputs?: Record<string, unknown>;
  /** The incident the playbook runs on; recorded, not checked (the function gets it as an input). */
  incidentId?: number;
  /** The workflow named in the body; default one per function. */
  workflow?: { programmatic_name?: string; name?: string };
}

/**
 * SOAR's side of functions, as tests and the demo drive it: seed definitions, invoke a function
 * (what a playbook step does), read what the app answered, and fault the broker. The admin API maps
 * onto these; the SOAR emulator handle exposes them as methods.
 */
export class FunctionsEmulation {
  readonly log: InvocationLog;
  readonly queues: DeliveryQueues;
  /** Real time: refusal windows are about sockets, not the emulator's (possibly simulated) clock. */
  readonly faults = new StompFaults(Date.now);
  broker: StompBroker | undefined;

  constructor(private readonly state: SoarState) {
    this.log = new InvocationLog(() => state.now());
    this.queues = new DeliveryQueues(this.log);
  }

  defineDestination(input: NewDestination): MessageDestinationRecord {
    return this.state.functions.addDestination(input);
  }

  defineFunction(input: NewFunction): FunctionRecord {
    return this.state.functions.addFunction(input);
  }

  definitions(): { destinations: MessageDestinationRecord[]; functions: FunctionRecord[] } {
    return { destinations: this.state.functions.listDestinations(), functions: this.state.functions.listFunctions() };
  }

  /** Queues an invocation on the function's destination; it is delivered when a consumer has room. */
  invoke(request: InvokeRequest): { invocationId: string } {
    const fn = this.state.functions.function(request.function);
    if (!fn) throw new SoarError(404, `Function "${request.function}" is not defined in org ${this.state.options.org.id}.`);
    if (!this.state.functions.destination(fn.destination_handle)) {
      throw new SoarError(404, `Function "${fn.name}" names message destination "${fn.destination_handle}", which is not defined.`);
    }
    const number = this.log.allocateNumber();
    const now = this.state.now();
    const input = {
      fn,
      inputs: request.inputs ?? {},
      orgId: this.state.options.org.id,
      invocationNumber: number,
      // Stable across redeliveries; shaped like ActiveMQ's producer message ids.
      messageId: `ID:soar-emulator-${this.state.options.org.id}-producer-1:1:1:1:${number}`,
      principal: this.principal(),
      workflow: {
        programmatic_name: request.workflow?.programmatic_name ?? `wf_${fn.name}`,
        name: request.workflow?.name ?? `Emulated: ${fn.display_name}`,
        workflow_id: fn.id,
        workflow_instance_id: 1000 + number,
      },
      now,
    };
    const invocationId = `invid:${number}`;
    const invocation = {
      id: invocationId,
      number,
      function: fn.name,
      destination: fn.destination_handle,
      incidentId: request.incidentId ?? null,
      inputs: input.inputs,
      createdAt: now,
      messageId: input.messageId,
      statusMessages: [],
      finalReplies: [],
      acks: [],
      deliveries: 0,
    };
    this.log.add(invocation);
    this.queues.enqueue({ invocation, headers: invocationHeaders(input), body: JSON.stringify(invocationBody(input)) });
    return { invocationId };
  }

  /** By `invid:N` (or just N). */
  invocation(id: string): InvocationView | undefined {
    const record = this.log.get(normalizeId(id));
    return record ? this.log.view(record) : undefined;
  }

  invocations(): InvocationView[] {
    return this.log.list().map((r) => this.log.view(r));
  }

  /** Resolves when the final reply (and, unless `acked: false`, the ACK) has arrived; rejects on timeout. */
  waitForInvocation(id: string, options?: WaitOptions): Promise<InvocationView> {
    return this.log.wait(normalizeId(id), options);
  }

  stompConnections(): ConnectionView[] {
    return this.broker?.connectionViews() ?? [];
  }

  dropStompConnections(): number {
    return this.broker?.dropConnections() ?? 0;
  }

  setStompFaults(settings: StompFaultSettings): StompFaultsView {
    return this.faults.set(settings);
  }

  clearStompFaults(): void {
    this.faults.clear();
  }

  stompFaults(): StompFaultsView {
    return this.faults.view();
  }

  /** Forgets every invocation and queued message and clears the faults (the definitions live in the state). */
  reset(): void {
    this.log.clear();
    this.queues.clear();
    this.faults.clear();
  }

  /** [I] The invocations are the org's first user's playbook runs (a responder). */
  private principal(): InvocationPrincipal {
    const user = this.state.users[0];
    return user
      ? { display_name: `${user.fname} ${user.lname}`, id: user.id, name: user.email, type: 'user' }
      : { display_name: 'System', id: 0, name: 'system', type: 'user' };
  }
}

function normalizeId(id: string): string {
  return /^\d+$/.test(id) ? `invid:${id}` : id;
}
