import { badRequest, notFound } from '../errors.js';
import type { CallLog, CallsSnapshot } from '../faults/call-log.js';
import type { ActiveFault, FaultInjector, FaultRule } from '../faults/faults.js';
import { readIncidentFields } from '../incidents/incident-input.js';
import { applyChanges } from '../incidents/incident-update.js';
import type { InputType } from '../schema/field-def.js';
import type { NewFieldInput } from '../schema/schema-store.js';
import type { IncidentRecord, Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { adminIncident, stateSummary, type AdminIncident, type StateSummary } from './admin-views.js';

export interface FieldSpec {
  name: string;
  label?: string;
  inputType: InputType;
  required?: 'always' | 'close';
  /** Select values, by label. */
  values?: string[];
}

export interface CloseOptions {
  /** Resolution name; default "Resolved". */
  resolution?: string;
  summary?: string;
  /** Custom fields to set with the close (e.g. fields required on close). */
  properties?: Record<string, unknown>;
}

const RESPONDER: Principal = { kind: 'admin' };

function toFieldInput(spec: FieldSpec): NewFieldInput {
  return { name: spec.name, text: spec.label, inputType: spec.inputType, required: spec.required ?? null, values: spec.values?.map((label) => ({ label })) };
}

/**
 * What a test (or the demo) does to SOAR besides the daemon: a responder closing or editing an
 * incident, schema drift, call counts and faults. The admin HTTP API maps onto these methods.
 */
export class SoarAdmin {
  constructor(
    private readonly state: SoarState,
    private readonly callLog: CallLog,
    private readonly faultInjector: FaultInjector,
    /** Also run by `reset()`: what lives beside the state (the function invocations and the broker's queues). */
    private readonly onReset: () => void = () => undefined,
  ) {}

  summary(): StateSummary {
    return stateSummary(this.state);
  }

  listIncidents(): AdminIncident[] {
    return [...this.state.incidents.values()].map((r) => adminIncident(this.state, r));
  }

  getIncident(id: number): AdminIncident | undefined {
    const record = this.state.incidents.get(id);
    return record ? adminIncident(this.state, record) : undefined;
  }

  /** A responder closes the incident; the org's required-on-close fields still apply. */
  closeIncident(id: number, options: CloseOptions = {}): AdminIncident {
    return this.updateIncident(id, {
      fields: {
        plan_status: 'C',
        resolution_id: options.resolution ?? 'Resolved',
        resolution_summary: { format: 'text', content: options.summary ?? 'Closed by a responder.' },
      },
      properties: options.properties,
    });
  }

  reopenIncident(id: number): AdminIncident {
    return this.updateIncident(id, { fields: { plan_status: 'A' } });
  }

  /** e.g. `{ aws_guardduty_trigger_refresh: true }`; unknown fields are refused like in REST. */
  setProperties(id: number, properties: Record<string, unknown>): AdminIncident {
    return this.updateIncident(id, { properties });
  }

  /** Built-in fields by api name (values as REST accepts them) and custom properties, as one edit. */
  updateIncident(id: number, update: { fields?: Record<string, unknown>; properties?: Record<string, unknown> }): AdminIncident {
    const record = this.incident(id);
    const fields = update.fields ?? {};
    const unknown = Object.keys(fields).filter((name) => {
      const def = this.state.schema.incidentField(name);
      return !def || def.prefix !== null || def.readOnly;
    });
    if (unknown.length > 0) throw badRequest(`Unknown or read-only incident field(s): ${unknown.join(', ')}`);
    const changes = readIncidentFields(this.state, { ...fields, properties: update.properties });
    return adminIncident(this.state, applyChanges(this.state, record, changes));
  }

  /** An administrator deletes incidents (as SOAR's bulk delete does): false when one of them does not exist, and nothing is deleted. */
  deleteIncidents(ids: readonly number[]): boolean {
    if (!ids.every((id) => this.state.incidents.has(id))) return false;
    for (const id of ids) this.state.deleteIncident(id);
    return true;
  }

  addNote(id: number, text: string, format: 'text' | 'html' = 'text'): AdminIncident {
    const record = this.incident(id);
    this.state.comments.add(record.id, { format, content: text }, null, RESPONDER, this.state.now());
    return adminIncident(this.state, record);
  }

  addIncidentField(spec: FieldSpec): void {
    this.state.schema.addIncidentField(toFieldInput(spec));
  }

  deleteIncidentField(name: string): boolean {
    return this.state.deleteIncidentField(name);
  }

  addDataTable(spec: { name: string; label?: string; columns: FieldSpec[] }): void {
    this.state.schema.addDataTable(spec.name, spec.label ?? spec.name, spec.columns.map(toFieldInput));
  }

  deleteDataTable(name: string): boolean {
    return this.state.deleteDataTable(name);
  }

  addArtifactType(spec: { name: string; label?: string; description?: string }): void {
    this.state.schema.artifactTypes.add({ apiName: spec.name, label: spec.label, description: spec.description });
  }

  deleteArtifactType(name: string): boolean {
    return this.state.schema.artifactTypes.delete(name);
  }

  setRequiredOnClose(fields: string[]): void {
    this.state.schema.setRequiredOnClose(fields);
  }

  calls(): CallsSnapshot {
    return this.callLog.snapshot();
  }

  callCount(operation: string): number {
    return this.callLog.count(operation);
  }

  resetCalls(): void {
    this.callLog.reset();
  }

  addFault(rule: FaultRule): ActiveFault {
    return this.faultInjector.add(rule);
  }

  /** Shorthand: fail the next `count` calls of one operation. */
  failNext(operation: string, count: number, options: Pick<FaultRule, 'statuses' | 'mode' | 'reset'> = {}): ActiveFault {
    return this.faultInjector.add({ operations: [operation], failNext: count, ...options });
  }

  removeFault(id: string): boolean {
    return this.faultInjector.remove(id);
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  faults(): ActiveFault[] {
    return this.faultInjector.list();
  }

  /** A fresh org: no incidents, no custom schema, no calls, no faults. */
  reset(): void {
    this.state.reset();
    this.callLog.reset();
    this.faultInjector.clear();
    this.onReset();
  }

  private incident(id: number): IncidentRecord {
    const record = this.state.incidents.get(id);
    if (!record) throw notFound(id);
    return record;
  }
}
