import type { FieldDef, InputType, SelectValue } from './field-def.js';

/**
 * The built-in incident fields of a fresh SOAR org. Select value ids are org-specific in SOAR (50/51/52
 * in one fixture, 4/5/6 in another), so clients must resolve them from `/types/incident`; these ids
 * are deliberately not 1/2/3 so a client that hard-codes them is caught.
 */

export const SEVERITY_IDS = { Low: 4, Medium: 5, High: 6 } as const;
export const RESOLUTION_IDS = { Unresolved: 7, Duplicate: 8, 'Not an Issue': 9, Resolved: 10 } as const;

export function fixedUuid(kind: number, id: number): string {
  return `00000000-0000-4000-8${String(kind).padStart(3, '0')}-${String(id).padStart(12, '0')}`;
}

function values(entries: [number | string, string][], defaultValue?: number | string): SelectValue[] {
  return entries.map(([value, label], i) => ({
    value,
    label,
    enabled: true,
    default: value === defaultValue,
    hidden: false,
    uuid: fixedUuid(2, typeof value === 'number' ? value : 900 + i),
  }));
}

interface BuiltinSpec {
  name: string;
  text: string;
  inputType: InputType;
  requiredAlways?: boolean;
  readOnly?: boolean;
  internal?: boolean;
  values?: SelectValue[];
}

const SPECS: BuiltinSpec[] = [
  { name: 'id', text: 'ID', inputType: 'number', readOnly: true, internal: true },
  { name: 'name', text: 'Name', inputType: 'text', requiredAlways: true },
  { name: 'description', text: 'Description', inputType: 'textarea' },
  { name: 'discovered_date', text: 'Date Discovered', inputType: 'datetimepicker', requiredAlways: true },
  { name: 'start_date', text: 'Date Occurred', inputType: 'datetimepicker' },
  // Set by the server when the incident closes, cleared when it reopens.
  { name: 'end_date', text: 'Date Closed', inputType: 'datetimepicker', readOnly: true },
  { name: 'due_date', text: 'Date Due', inputType: 'datepicker' },
  { name: 'create_date', text: 'Date Created', inputType: 'datetimepicker', readOnly: true },
  { name: 'inc_last_modified_date', text: 'Last Modified', inputType: 'datetimepicker', readOnly: true },
  { name: 'plan_status', text: 'Status', inputType: 'select', values: values([['A', 'Active'], ['C', 'Closed']], 'A') },
  {
    name: 'severity_code',
    text: 'Severity',
    inputType: 'select',
    values: values(Object.entries(SEVERITY_IDS).map(([label, id]) => [id, label])),
  },
  {
    name: 'resolution_id',
    text: 'Resolution',
    inputType: 'select',
    values: values(Object.entries(RESOLUTION_IDS).map(([label, id]) => [id, label])),
  },
  { name: 'resolution_summary', text: 'Resolution Summary', inputType: 'textarea' },
  {
    name: 'incident_type_ids',
    text: 'Incident Type',
    inputType: 'multiselect',
    values: values([
      [17, 'Denial of Service'],
      [18, 'Lost documents / files / records'],
      [19, 'Malware'],
      [20, 'Phishing'],
      [21, 'System Intrusion'],
      [22, 'Other'],
      [23, 'Unauthorized access'],
    ]),
  },
  { name: 'owner_id', text: 'Owner', inputType: 'select_owner' },
  {
    name: 'phase_id',
    text: 'Phase',
    inputType: 'select',
    values: values([[1000, 'Engage'], [1001, 'Detect/Analyze'], [1002, 'Respond'], [1003, 'Post-Incident']], 1002),
  },
  { name: 'creator_id', text: 'Created By', inputType: 'select_owner', readOnly: true },
  { name: 'confirmed', text: 'Confirmed', inputType: 'boolean' },
  { name: 'reporter', text: 'Reporter Name', inputType: 'text' },
  {
    name: 'exposure_type_id',
    text: 'Exposure Type',
    inputType: 'select',
    values: values([[1, 'Unknown'], [2, 'External Party'], [3, 'Individual']], 1),
  },
  {
    name: 'nist_attack_vectors',
    text: 'NIST Attack Vectors',
    inputType: 'multiselect',
    values: values([[1, 'External/Removable Media'], [2, 'Attrition'], [3, 'Web'], [4, 'E-mail'], [5, 'Impersonation'], [6, 'Improper Usage'], [7, 'Loss or Theft of Equipment'], [8, 'Other']]),
  },
  { name: 'data_compromised', text: 'Was personal information or personal data involved?', inputType: 'boolean' },
  { name: 'negative_pr_likely', text: 'Negative PR', inputType: 'boolean' },
  { name: 'inc_training', text: 'Training', inputType: 'boolean' },
  { name: 'sequence_code', text: 'Sequence Code', inputType: 'text', readOnly: true },
];

export function builtinIncidentFields(): FieldDef[] {
  return SPECS.map((s, i) => ({
    id: 30 + i,
    name: s.name,
    text: s.text,
    inputType: s.inputType,
    prefix: null,
    requiredAlways: s.requiredAlways ?? false,
    readOnly: s.readOnly ?? false,
    internal: s.internal ?? false,
    richText: s.inputType === 'textarea',
    blankOption: s.inputType === 'select',
    values: s.values ?? [],
    tooltip: '',
    placeholder: '',
    uuid: fixedUuid(1, 30 + i),
    typeId: 0,
    typeName: 'incident',
  }));
}
