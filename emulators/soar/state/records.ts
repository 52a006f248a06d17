import type { RichText } from '../values/rich-text.js';

/**
 * Who made a request: an API key, a logged-in user, the admin API (a simulated responder), or
 * nobody yet (the login request itself).
 */
export type Principal =
  | { kind: 'apikey'; keyId: string; handle: number; readOnly: boolean }
  | { kind: 'user'; userId: number; sessionId: string }
  | { kind: 'admin' }
  | { kind: 'anonymous' };

export interface IncidentRecord {
  id: number;
  vers: number;
  /** Built-in field values in stored form, keyed by api name (plan_status, create_date, end_date…). */
  values: Record<string, unknown>;
  /** Custom field values in stored form. */
  properties: Record<string, unknown>;
  creator: Principal;
}

export interface CommentRecord {
  id: number;
  incidentId: number;
  parentId: number | null;
  text: RichText;
  createDate: number;
  modifyDate: number;
  creator: Principal;
}

export interface ArtifactRecord {
  id: number;
  incidentId: number;
  typeId: number;
  value: string;
  description: RichText | null;
  created: number;
  creator: Principal;
  properties: unknown[] | null;
}

export interface RowRecord {
  id: number;
  incidentId: number;
  tableId: number;
  version: number;
  /** Column api name → stored value. */
  cells: Record<string, unknown>;
}
