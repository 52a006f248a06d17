import type { Finding } from '../findings/finding.js';

/** Notes above this size are cut: SOAR stores notes in the database and renders them in the browser. */
export const NOTE_TEXT_LIMIT = 256 * 1024;

export interface NoteOrigin {
  region: string;
  detectorId: string;
}

/**
 * The finding as pretty-printed JSON, cut to `limit` characters with a line saying how much was cut
 * and where to read the whole finding (the story note keeps it in a collapsed block).
 */
export function findingJson(finding: Finding, origin: NoteOrigin, limit = NOTE_TEXT_LIMIT): string {
  return truncate(JSON.stringify(finding, null, 2), finding, origin, limit);
}

function truncate(json: string, finding: Finding, origin: NoteOrigin, limit: number): string {
  if (json.length <= limit) return json;
  let cut = json.lastIndexOf('\n', limit);
  if (cut <= 0) cut = limit;
  // Never split a surrogate pair: half an emoji is not valid text.
  if (isHighSurrogate(json.charCodeAt(cut - 1))) cut -= 1;
  const omitted = json.length - cut;
  const region = origin.region || finding.Region;
  const detector = origin.detectorId || finding.Service?.DetectorId || '<detector-id>';
  return [
    json.slice(0, cut),
    `… [TRUNCATED: the last ${omitted.toLocaleString('en-US')} of ${json.length.toLocaleString('en-US')} characters of this finding are not shown.`,
    `See the full finding in the GuardDuty console (region ${region}, finding ${finding.Id}) or with:`,
    `aws guardduty get-findings --region ${region} --detector-id ${detector} --finding-ids ${finding.Id}]`,
  ].join('\n');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
