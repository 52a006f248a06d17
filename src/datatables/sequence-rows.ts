import { actorLabel, endpointLabel, indicatorMeaning, indicatorText, listed, resourceLabel } from '../findings/attack-sequence-labels.js';
import { attackSequence, type SequenceIndicator } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import type { RawCells } from './row-cells.js';

/**
 * Rows of the attack-sequence tables: one per signal in time order (the timeline), per actor, per
 * endpoint, per resource and per indicator. A finding without a sequence gets none.
 *
 * A signal row names its actors, endpoints and resources by label, at most ten of each (a sequence
 * may hold 400 of each; the other tables list them all). Its `member_incident` cell is filled by the
 * sync code, which knows the incidents: see `LINK_COLUMNS`.
 */

export function signalRows(finding: Finding): RawCells[] {
  const sequence = attackSequence(finding);
  if (!sequence) return [];
  const actors = new Map(sequence.actors.map((a) => [a.id, actorLabel(a)]));
  const endpoints = new Map(sequence.endpoints.map((e) => [e.id, endpointLabel(e)]));
  const resources = new Map(sequence.resources.map((r) => [r.uid, resourceLabel(r)]));
  const named = (ids: string[], labels: Map<string, string>): string | undefined => listed(ids.map((id) => labels.get(id) ?? id));
  return sequence.signals.map((s) => ({
    first_seen: s.firstSeenAt ?? s.createdAt,
    last_seen: s.lastSeenAt ?? s.updatedAt,
    signal_type: s.type,
    name: s.name,
    description: s.description,
    severity: s.severity,
    count: s.count,
    actors: named(s.actorIds, actors),
    endpoints: named(s.endpointIds, endpoints),
    resources: named(s.resourceUids, resources),
    indicators: s.indicators.length > 0 ? s.indicators.map(indicatorText).join('; ') : undefined,
    signal_uid: s.uid,
  }));
}

export function actorRows(finding: Finding): RawCells[] {
  return (attackSequence(finding)?.actors ?? []).map((a) => ({
    actor_id: a.id,
    user_name: a.userName,
    user_type: a.userType,
    user_uid: a.userUid,
    account_id: a.accountUid,
    account_name: a.accountName,
    credential_uid: a.credentialUid,
    session_mfa: a.mfaStatus,
    session_issuer: a.sessionIssuer,
    session_created: a.sessionCreated,
    process_name: a.processName,
    process_path: a.processPath,
    process_sha256: a.processSha256,
  }));
}

export function endpointRows(finding: Finding): RawCells[] {
  return (attackSequence(finding)?.endpoints ?? []).map((e) => ({
    endpoint_id: e.id,
    ip: e.ip,
    domain: e.domain,
    port: e.port,
    direction: e.direction,
    city: e.city,
    country: e.country,
    location: e.latitude !== undefined && e.longitude !== undefined ? `${e.latitude}, ${e.longitude}` : undefined,
    asn: e.asNumber,
    as_name: e.asName,
  }));
}

export function sequenceResourceRows(finding: Finding): RawCells[] {
  return (attackSequence(finding)?.resources ?? []).map((r) => ({
    uid: r.uid,
    name: r.name,
    resource_type: r.type,
    account_id: r.accountId,
    region: r.region,
    service: r.service,
    resource_tags: r.tags,
  }));
}

/**
 * The sequence's own indicators, then each signal's (named by the signal) that says more than the
 * sequence's: a signal's tactic already among the sequence's tactics is in that signal's row and adds
 * no row here. Each distinct row once.
 */
export function indicatorRows(finding: Finding): RawCells[] {
  const sequence = attackSequence(finding);
  if (!sequence) return [];
  const known = new Map<string, Set<string>>();
  for (const i of sequence.indicators) known.set(i.key, new Set([...(known.get(i.key) ?? []), ...i.values]));
  const covered = (i: SequenceIndicator): boolean => i.values.length > 0 && i.values.every((v) => known.get(i.key)?.has(v) === true);
  const rows = new Map<string, RawCells>();
  const add = (foundIn: string, indicator: SequenceIndicator): void => {
    const cells = {
      found_in: foundIn, indicator_key: indicator.key, meaning: indicatorMeaning(indicator.key), title: indicator.title,
      indicator_values: indicator.values.length > 0 ? indicator.values.join(', ') : undefined,
    };
    rows.set(JSON.stringify(cells), cells);
  };
  for (const indicator of sequence.indicators) add('Attack sequence', indicator);
  for (const signal of sequence.signals) {
    for (const indicator of signal.indicators) if (!covered(indicator)) add(`Signal: ${signal.name}`, indicator);
  }
  return [...rows.values()];
}

