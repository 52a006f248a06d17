import { tableLabel } from '../datatables/table-definitions.js';
import type { Finding } from '../findings/finding.js';
import type { ArtifactInput, FieldChange, RichText } from '../soar/case-system.js';
import { fieldLabel } from './custom-fields.js';
import { escapeHtml } from './html.js';

/** Why the incident was refreshed; chooses the heading. */
export type ChangeReason = 'updated' | 'refresh' | 'reopened';

export interface ChangeNoteInput {
  reason: ChangeReason;
  finding: Finding;
  /** The fields PATCHed, by API name (`severity_code`, `aws_guardduty_count`, ...). */
  changes: readonly FieldChange[];
  /** Rows written per data table (API name → count). */
  rowsWritten: Readonly<Record<string, number>>;
  artifactsAdded: readonly ArtifactInput[];
  /** More to say, one item each (plain text, escaped here): e.g. the signals an attack sequence gained. */
  details?: readonly string[];
}

const HEADINGS: Record<ChangeReason, string> = {
  updated: 'GuardDuty finding updated',
  refresh: 'GuardDuty finding refreshed on request',
  reopened: 'GuardDuty finding updated after the incident was closed: incident reopened, its old resolution cleared',
};

/** At most this many new artifact values are listed; the count covers them all. */
const LISTED_ARTIFACTS = 20;

/**
 * The HTML note added when a refresh changed the incident: each changed field as `label: old → new`,
 * then the new rows per table and the new artifacts. Every value is HTML-escaped, because finding
 * values are attacker-influenced and SOAR renders notes as HTML.
 */
export function renderChangeNote(input: ChangeNoteInput): RichText {
  const items = [
    // What happened first (an attack sequence's new signals), then the fields, rows and artifacts.
    ...(input.details ?? []).map(escapeHtml),
    ...input.changes.map((c) => `${escapeHtml(fieldLabel(c.field))}: ${shown(c.oldValue)} → ${shown(c.newValue)}`),
    ...rowLines(input.rowsWritten),
    ...artifactLines(input.artifactsAdded),
  ];
  const finding = input.finding;
  const heading = `<b>${HEADINGS[input.reason] ?? HEADINGS.updated}</b>`;
  const about = `${escapeHtml(finding.Id)} (${escapeHtml(finding.Type)}), as of ${escapeHtml(finding.UpdatedAt)}`;
  const body = items.length > 0 ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '<p>Nothing changed.</p>';
  return { format: 'html', content: `<p>${heading}: ${about}</p>${body}` };
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '<i>(empty)</i>';
  return escapeHtml(typeof value === 'string' ? value : JSON.stringify(value));
}

function rowLines(rowsWritten: Readonly<Record<string, number>>): string[] {
  return Object.entries(rowsWritten)
    .filter(([, n]) => n > 0)
    .map(([table, n]) => `${n} new ${n === 1 ? 'row' : 'rows'} in ${escapeHtml(tableLabel(table))}`);
}

function artifactLines(artifacts: readonly ArtifactInput[]): string[] {
  if (artifacts.length === 0) return [];
  const listed = artifacts.slice(0, LISTED_ARTIFACTS).map((a) => `${escapeHtml(a.type)} ${escapeHtml(a.value)}`);
  const more = artifacts.length > LISTED_ARTIFACTS ? `, and ${artifacts.length - LISTED_ARTIFACTS} more` : '';
  const noun = artifacts.length === 1 ? 'artifact' : 'artifacts';
  return [`${artifacts.length} new ${noun}: ${listed.join(', ')}${more}`];
}
