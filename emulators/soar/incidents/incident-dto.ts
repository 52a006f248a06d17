import type { IncidentRecord, Principal } from '../state/records.js';
import type { SoarState } from '../state/soar-state.js';
import { renderValue } from '../values/field-values.js';
import type { OutputOptions } from '../values/output-options.js';
import { currentValue } from './incident-input.js';

export type ReturnLevel = 'partial' | 'normal' | 'full';

/** [3P] The 12 keys of a query row when no return_level is asked for. */
const PARTIAL_KEYS = [
  'id', 'name', 'description', 'plan_status', 'phase_id', 'severity_code', 'owner_id',
  'create_date', 'discovered_date', 'due_date', 'inc_training', 'sequence_code',
];

const PERMS = {
  read: true, write: true, comment: true, assign: true, close: true, change_members: true, attach_file: true,
  read_attachments: true, delete_attachments: true, create_milestones: true, list_milestones: true,
  create_artifacts: true, list_artifacts: true, delete: true, change_workspace: true,
};

export function returnLevel(query: URLSearchParams, fallback: ReturnLevel): ReturnLevel {
  const raw = query.get('return_level');
  return raw === 'partial' || raw === 'normal' || raw === 'full' ? raw : fallback;
}

/**
 * An IncidentDTO. `partial` has the 12 keys above; `normal` adds every field, `properties`, `vers`
 * and `perms` (IBM's pollers read inc_last_modified_date from it); `full` adds creator and actions.
 */
export function renderIncident(state: SoarState, record: IncidentRecord, out: OutputOptions, level: ReturnLevel): Record<string, unknown> {
  const dto: Record<string, unknown> = {};
  for (const def of state.schema.incidentFields()) {
    if (def.prefix !== null) continue;
    if (level === 'partial' && !PARTIAL_KEYS.includes(def.name)) continue;
    dto[def.name] = renderValue(def, currentValue(record, def), out, state.users);
  }
  if (level === 'partial') return dto;
  dto.vers = record.vers;
  dto.org_id = state.options.org.id;
  dto.properties = renderProperties(state, record, out);
  dto.perms = PERMS;
  if (level === 'normal') return dto;
  dto.creator = creatorJson(state, record.creator);
  dto.creator_principal = principalJson(state, record.creator);
  dto.members = [];
  dto.actions = [];
  dto.workspace = 1;
  dto.is_scenario = false;
  return dto;
}

/** Every custom field is present (null when unset), as SOAR answers. */
function renderProperties(state: SoarState, record: IncidentRecord, out: OutputOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const def of state.schema.customFields()) {
    properties[def.name] = renderValue(def, record.properties[def.name] ?? null, out, state.users);
  }
  return properties;
}

function creatorJson(state: SoarState, principal: Principal): Record<string, unknown> | null {
  const user = state.userOf(principal);
  if (!user) return null;
  return { id: user.id, fname: user.fname, lname: user.lname, display_name: `${user.fname} ${user.lname}`, email: user.email, status: 'A', is_external: false };
}

export function principalJson(state: SoarState, principal: Principal): Record<string, unknown> | null {
  if (principal.kind === 'apikey') {
    return { id: principal.handle, type: 'apikey', name: principal.keyId, display_name: principal.keyId };
  }
  const user = state.userOf(principal);
  return user ? { id: user.id, type: 'user', name: user.email, display_name: `${user.fname} ${user.lname}` } : null;
}
