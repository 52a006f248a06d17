import type { Finding } from '../findings/finding.js';
import { nonBlank } from '../findings/finding-values.js';
import { parseIsoUtc } from './iso-time.js';

/** SOAR's limit for an incident name. */
export const INCIDENT_NAME_LIMIT = 255;
const PREFIX = 'AWS GuardDuty: ';

/**
 * `AWS GuardDuty: <Title>`; without a title, the type and creation date say what it is (IBM's
 * fallback, "No Title Provided", told the responder nothing). Cut to SOAR's limit with an ellipsis.
 */
export function incidentName(finding: Finding): string {
  const title = typeof finding.Title === 'string' ? finding.Title.trim() : '';
  const what = title !== '' ? title : `${String(finding.Type)} finding created ${String(finding.CreatedAt)}`;
  return truncateText(`${PREFIX}${what}`, INCIDENT_NAME_LIMIT);
}

export function incidentDescription(finding: Finding): string {
  const description = typeof finding.Description === 'string' ? finding.Description : '';
  if (description.trim() !== '') return description;
  return `GuardDuty sent no description for this ${String(finding.Type)} finding in account ${String(finding.AccountId)}, region ${String(finding.Region)}. The finding itself is in the first note.`;
}

/**
 * `AWS account 111122223333, us-east-1.`: with an administrator account many member accounts feed one
 * SOAR org, and the account is the first thing a responder needs (whom to call, which console).
 */
export function accountLine(accountId: unknown, region: unknown): string {
  const account = nonBlank(accountId)?.trim() ?? 'unknown';
  const where = nonBlank(region)?.trim();
  return where !== undefined ? `AWS account ${account}, ${where}.` : `AWS account ${account}.`;
}

/** The incident's description as the bundled create template writes it: the account line, then the finding's. */
export function describedWithAccount(accountLineText: string, description: string): string {
  return `${accountLineText}\n\n${description}`;
}

/** Epoch ms of the finding's creation, else of its last update, else now: SOAR requires the field. */
export function discoveredDate(finding: Finding, now: number): number {
  for (const value of [finding.CreatedAt, finding.UpdatedAt]) {
    const ms = parseIsoUtc(value);
    if (ms !== undefined) return ms;
  }
  return now;
}

/** Cuts to at most `limit` UTF-16 units, ending in an ellipsis, without splitting a surrogate pair. */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
