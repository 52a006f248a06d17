import type { RichText } from '../values/rich-text.js';
import type { CommentRecord, Principal } from './records.js';

/** Notes per incident, in creation order; ids are global like SOAR's. */
export class CommentStore {
  private byIncident = new Map<number, CommentRecord[]>();
  private byId = new Map<number, CommentRecord>();
  private nextId = 1;

  add(incidentId: number, text: RichText, parentId: number | null, creator: Principal, now: number): CommentRecord {
    const comment: CommentRecord = { id: this.nextId++, incidentId, parentId, text, createDate: now, modifyDate: now, creator };
    const list = this.byIncident.get(incidentId) ?? [];
    list.push(comment);
    this.byIncident.set(incidentId, list);
    this.byId.set(comment.id, comment);
    return comment;
  }

  list(incidentId: number): readonly CommentRecord[] {
    return this.byIncident.get(incidentId) ?? [];
  }

  get(incidentId: number, id: number): CommentRecord | undefined {
    const comment = this.byId.get(id);
    return comment?.incidentId === incidentId ? comment : undefined;
  }

  count(): number {
    return this.byId.size;
  }

  /** Drops an incident's notes with the incident (SOAR deletes its children with it). */
  dropIncident(incidentId: number): void {
    for (const comment of this.byIncident.get(incidentId) ?? []) this.byId.delete(comment.id);
    this.byIncident.delete(incidentId);
  }

  clear(): void {
    this.byIncident = new Map();
    this.byId = new Map();
  }
}
