import { indicatorValues, listed } from '../findings/attack-sequence-labels.js';
import { attackSequence, signalEnd, signalStart, type AttackSequence } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import type { RichText } from '../soar/case-system.js';
import { anomalyRows } from '../datatables/anomaly-rows.js';
import { findingJson, NOTE_TEXT_LIMIT, type NoteOrigin } from './finding-note.js';
import { nonBlank } from '../findings/finding-values.js';
import { escapeHtml } from './html.js';
import { parseIsoUtc } from './iso-time.js';
import { severityBand } from '../findings/severity.js';
import { sequenceSummary, timelineHtml } from './sequence-story.js';
import { storyFacts } from './story-facts.js';
import { duration, readableTime } from './story-time.js';

/**
 * The first note of every incident: the finding told as a story a responder reads in a few seconds
 * (what, who, from where, on what, when; for an attack sequence how many signals over how long, and
 * the timeline), then the whole finding as GuardDuty sent it, as JSON in a collapsed block for
 * whoever needs a detail no field, table or artifact shows. HTML: every value from the finding is
 * attacker-influenced and escaped; the JSON sits in a <pre>, so its indentation survives.
 */
export function storyNote(finding: Finding, origin: NoteOrigin, limit = NOTE_TEXT_LIMIT): RichText {
  const story = storyHtml(finding, origin);
  return { format: 'html', content: `${story}${jsonBlock(finding, origin, limit - story.length)}` };
}

/** The story without the JSON block (for notes about a folded member finding). */
export function storyHtml(finding: Finding, origin: NoteOrigin): string {
  const sequence = attackSequence(finding);
  const title = nonBlank(finding.Title) ?? `${finding.Type} finding`;
  const lead = sequence ? `<p>${escapeHtml(sequenceSummary(sequence))}</p>` : '';
  const items = summaryItems(finding, origin, sequence).map(([label, text]) => `<li><b>${escapeHtml(label)}:</b> ${escapeHtml(text)}</li>`);
  const timeline = sequence && sequence.signals.length > 0 ? `<p><b>Timeline</b></p>${timelineHtml(sequence)}` : '';
  return `<p><b>${escapeHtml(title)}</b></p>${lead}<ul>${items.join('')}</ul>${timeline}`;
}

function summaryItems(finding: Finding, origin: NoteOrigin, sequence: AttackSequence | undefined): [string, string][] {
  const facts = storyFacts(finding, sequence);
  const items: [string, string][] = [['What', what(finding, sequence)]];
  if (facts.who.length > 0) items.push(['Who', facts.who.join('; ')]);
  if (facts.fromWhere.length > 0) items.push(['From where', facts.fromWhere.join('; ')]);
  if (facts.contacted.length > 0) items.push(['Contacted', facts.contacted.join('; ')]);
  if (facts.target.length > 0) items.push(['Affected', facts.target.join('; ')]);
  items.push(['When', sequence ? sequenceWhen(finding, sequence) : when(finding)]);
  items.push(['Where', `AWS account ${finding.AccountId}, region ${origin.region || finding.Region}`]);
  if (sequence) items.push(...mitre(sequence));
  const unusual = unusualText(finding);
  if (unusual !== undefined) items.push(['Unusual', unusual]);
  return items;
}

function what(finding: Finding, sequence: AttackSequence | undefined): string {
  const severity = typeof finding.Severity === 'number' ? `, severity ${finding.Severity} (${severityBand(finding.Severity) ?? 'unknown'})` : '';
  const count = finding.Service?.Count;
  const times = typeof count === 'number' && count > 1 ? `, seen ${count} times` : '';
  const described = sequence?.description ?? nonBlank(finding.Description);
  return `${finding.Type}${severity}${times}.${described !== undefined ? ` ${described}` : ''}`;
}

function when(finding: Finding): string {
  const first = parseIsoUtc(finding.Service?.EventFirstSeen);
  const last = parseIsoUtc(finding.Service?.EventLastSeen);
  const updated = `GuardDuty last updated it ${readableTime(finding.UpdatedAt)}`;
  if (first === undefined || last === undefined) return `${updated}.`;
  const span = last > first ? ` (${duration(last - first)})` : '';
  return `first seen ${readableTime(finding.Service?.EventFirstSeen)}, last seen ${readableTime(finding.Service?.EventLastSeen)}${span}; ${updated}.`;
}

/** A sequence's activity spans its signals (GuardDuty's first and last seen may frame them more widely). */
function sequenceWhen(finding: Finding, sequence: AttackSequence): string {
  const starts = sequence.signals.map(signalStart).filter((t): t is number => t !== undefined);
  const ends = sequence.signals.map(signalEnd).filter((t): t is number => t !== undefined);
  if (starts.length === 0 || ends.length === 0) return when(finding);
  const first = Math.min(...starts);
  const last = Math.max(...ends);
  const span = last > first ? ` (${duration(last - first)})` : '';
  const iso = (ms: number): string => readableTime(new Date(ms).toISOString());
  return `first signal ${iso(first)}, last signal ${iso(last)}${span}; GuardDuty last updated the sequence ${readableTime(finding.UpdatedAt)}.`;
}

function mitre(sequence: AttackSequence): [string, string][] {
  const tactics = listed(indicatorValues(sequence, 'ATTACK_TACTIC'), 20);
  const techniques = listed(indicatorValues(sequence, 'ATTACK_TECHNIQUE'), 20);
  const parts = [tactics && `tactics ${tactics}`, techniques && `techniques ${techniques}`].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? [['MITRE ATT&CK', parts.join('; ')]] : [];
}

/** `api ListBuckets (UNSEEN for USER; usually GetObject, PutObject)`, per unusual feature. */
function unusualText(finding: Finding): string | undefined {
  const parts = anomalyRows(finding).map((row) => {
    const usual = nonBlank(row.usual);
    const how = [nonBlank(row.frequency), `for ${String(row.profile)}`].filter((p) => p !== undefined).join(' ');
    return `${String(row.feature)} ${nonBlank(row.unusual) ?? '?'} (${how}${usual !== undefined ? `; usually ${usual}` : ''})`;
  });
  return listed(parts, 10);
}

/** The JSON in a collapsed block, cut so that the whole note stays within `budget` characters. */
function jsonBlock(finding: Finding, origin: NoteOrigin, budget: number): string {
  const summary = `The whole finding as GuardDuty sent it (JSON): ${escapeHtml(finding.Id)}, as of ${escapeHtml(finding.UpdatedAt)}`;
  const open = `<details><summary>${summary}</summary><pre>`;
  const close = '</pre></details>';
  // The cut JSON ends with a few lines saying what was cut and where to read it whole: room for them.
  let room = Math.max(1000, budget - open.length - close.length - 600);
  let body = escapeText(findingJson(finding, origin, room));
  // Escaping lengthens the text (`<` → `&lt;`): cut again by what it grew, once is enough.
  if (body.length > room) {
    room -= body.length - room;
    body = escapeText(findingJson(finding, origin, Math.max(1000, room)));
  }
  return `${open}${body}${close}`;
}

/** Escapes text inside an element (quotes need no escape there): keeps the JSON as short and readable as it is. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
