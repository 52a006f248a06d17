import type { ResolvedOptions, ResolvedUser } from '../options.js';
import { SchemaStore } from '../schema/schema-store.js';
import { ArtifactStore } from './artifact-store.js';
import { CommentStore } from './comment-store.js';
import { FunctionsStore } from './functions-store.js';
import { PropertyIndex } from './property-index.js';
import type { IncidentRecord, Principal } from './records.js';
import { TableStore } from './table-store.js';

/**
 * Everything the emulated org holds, in memory. Maps by id keep the operations the benchmark
 * hammers (create, get, patch, add row) O(1); queries scan, helped by the property index.
 */
export class SoarState {
  schema: SchemaStore;
  readonly incidents = new Map<number, IncidentRecord>();
  readonly index = new PropertyIndex();
  readonly comments = new CommentStore();
  readonly artifacts = new ArtifactStore();
  readonly tables = new TableStore();
  /** Message destinations and functions (REST writes them, the STOMP broker reads them). */
  readonly functions = new FunctionsStore(() => this.now());
  private nextIncidentId = 2095;
  private lastNow = 0;

  constructor(readonly options: ResolvedOptions) {
    this.schema = new SchemaStore(options.requiredOnClose);
  }

  get users(): readonly ResolvedUser[] {
    return this.options.users;
  }

  /** Never goes backwards, so "last modified since" queries cannot miss a change. */
  now(): number {
    this.lastNow = Math.max(this.lastNow, this.options.clock());
    return this.lastNow;
  }

  allocateIncidentId(): number {
    return this.nextIncidentId++;
  }

  /** Stores a new or changed incident and keeps the property index in step. */
  commit(record: IncidentRecord, previousProperties: Record<string, unknown> | undefined): void {
    this.incidents.set(record.id, record);
    this.index.update(record.id, previousProperties, record.properties);
  }

  /**
   * Deletes an incident and everything under it, as SOAR does: afterwards the incident and its
   * notes, artifacts and rows answer 404. Ids are never reused while the org lives.
   */
  deleteIncident(id: number): boolean {
    const record = this.incidents.get(id);
    if (!record) return false;
    this.incidents.delete(id);
    this.index.update(id, record.properties, {});
    this.comments.dropIncident(id);
    this.artifacts.dropIncident(id);
    this.tables.dropIncident(id);
    return true;
  }

  /** The user a principal acts as; [I] the admin API acts as the first user (a responder). */
  userOf(principal: Principal): ResolvedUser | undefined {
    if (principal.kind === 'user') return this.users.find((u) => u.id === principal.userId);
    return principal.kind === 'admin' ? this.users[0] : undefined;
  }

  deleteIncidentField(name: string): boolean {
    if (!this.schema.deleteIncidentField(name)) return false;
    // SOAR drops the values with the field; a re-created field starts empty.
    for (const record of this.incidents.values()) delete record.properties[name];
    this.index.dropField(name);
    return true;
  }

  deleteDataTable(name: string): boolean {
    const table = this.schema.deleteDataTable(name);
    if (table) this.tables.dropTable(table.id);
    return table !== undefined;
  }

  /** Back to a fresh org: no incidents and no custom schema. */
  reset(): void {
    this.schema = new SchemaStore(this.options.requiredOnClose);
    this.incidents.clear();
    this.index.clear();
    this.comments.clear();
    this.artifacts.clear();
    this.tables.clear();
    this.functions.clear();
    this.nextIncidentId = 2095;
  }
}
