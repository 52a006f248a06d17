import type { AttackSequence, SequenceSignal } from '../findings/attack-sequence.js';
import { signalEnd, signalStart } from '../findings/attack-sequence.js';
import { escapeHtml } from './html.js';
import { duration, readableTime } from './story-time.js';

/** How the signal types read to a person. */
const SIGNAL_SOURCES: Readonly<Record<string, string>> = {
  FINDING: 'GuardDuty finding',
  CLOUD_TRAIL: 'CloudTrail activity',
  S3_DATA_EVENTS: 'S3 data events',
  EKS_AUDIT_LOGS: 'EKS audit logs',
  FLOW_LOGS: 'VPC flow logs',
  DNS_LOGS: 'DNS logs',
  RUNTIME_MONITORING: 'Runtime Monitoring',
};

export function signalSource(type: string): string {
  return SIGNAL_SOURCES[type] ?? type;
}

/** `An attack sequence of 4 signals over 3 h 29 min (2 GuardDuty findings, 2 activity signals), from … to ….` */
export function sequenceSummary(sequence: AttackSequence): string {
  const signals = sequence.signals;
  const findings = signals.filter((s) => s.type === 'FINDING').length;
  const starts = signals.map(signalStart).filter((t): t is number => t !== undefined);
  const ends = signals.map(signalEnd).filter((t): t is number => t !== undefined);
  const first = starts.length > 0 ? Math.min(...starts) : undefined;
  const last = ends.length > 0 ? Math.max(...ends) : undefined;
  const span = first !== undefined && last !== undefined && last > first ? ` over ${duration(last - first)}` : '';
  const kinds = `${findings} GuardDuty ${findings === 1 ? 'finding' : 'findings'}, ${signals.length - findings} activity ${signals.length - findings === 1 ? 'signal' : 'signals'}`;
  const range = first !== undefined && last !== undefined ? `, from ${readableTime(new Date(first).toISOString())} to ${readableTime(new Date(last).toISOString())}` : '';
  const noun = signals.length === 1 ? 'signal' : 'signals';
  const also = sequence.additionalTypes.length > 0 ? ` GuardDuty also matched ${sequence.additionalTypes.join(', ')}.` : '';
  return `An attack sequence of ${signals.length} ${noun}${span} (${kinds})${range}.${also}`;
}

/** The signals in time order, one line each: when, what, from which source, how severe, how often. */
export function timelineHtml(sequence: AttackSequence): string {
  return `<ol>${sequence.signals.map((s) => `<li>${signalLine(s)}</li>`).join('')}</ol>`;
}

function signalLine(signal: SequenceSignal): string {
  const start = signalStart(signal);
  const end = signalEnd(signal);
  const at = start !== undefined ? readableTime(new Date(start).toISOString()) : 'unknown time';
  const until = end !== undefined && start !== undefined && end > start ? ` (for ${duration(end - start)})` : '';
  const about = [
    signalSource(signal.type),
    signal.severity !== undefined ? `severity ${signal.severity}` : undefined,
    signal.count !== undefined && signal.count > 1 ? `${signal.count} times` : undefined,
  ].filter((p): p is string => p !== undefined).join(', ');
  const described = signal.description !== undefined ? `: ${escapeHtml(clip(signal.description, DESCRIPTION_CHARS))}` : '';
  return `${escapeHtml(at)}${escapeHtml(until)} <b>${escapeHtml(clip(signal.name, NAME_CHARS))}</b> (${escapeHtml(about)})${described}`;
}

/**
 * A timeline line's share of the note: 100 signals (the model's maximum) of this much text, escaped,
 * stay far within the note limit, so the story is whole and only the JSON block is ever cut. The
 * signal's full name and description are in its table row.
 */
const NAME_CHARS = 200;
const DESCRIPTION_CHARS = 800;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
