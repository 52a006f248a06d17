import type { AttackSequence, SequenceActor, SequenceEndpoint, SequenceIndicator, SequenceResource } from './attack-sequence.js';

/**
 * How the parts of an attack sequence are named to a person: in table cells, the story note and
 * artifact descriptions. Plain text; whoever renders it as HTML escapes it.
 */

/** What each indicator key means, for the ones the model lists; an unknown key is shown as it is. */
const INDICATOR_MEANINGS: Readonly<Record<string, string>> = {
  ATTACK_TACTIC: 'MITRE ATT&CK tactic',
  ATTACK_TECHNIQUE: 'MITRE ATT&CK technique',
  SUSPICIOUS_USER_AGENT: 'Suspicious user agent',
  SUSPICIOUS_NETWORK: 'Suspicious network',
  MALICIOUS_IP: 'Malicious IP address',
  TOR_IP: 'Tor exit node',
  HIGH_RISK_API: 'High-risk API',
  UNUSUAL_API_FOR_ACCOUNT: 'API unusual for the account',
  UNUSUAL_ASN_FOR_ACCOUNT: 'Network (ASN) unusual for the account',
  UNUSUAL_ASN_FOR_USER: 'Network (ASN) unusual for the user',
  SUSPICIOUS_PROCESS: 'Suspicious process',
  MALICIOUS_DOMAIN: 'Malicious domain',
  MALICIOUS_PROCESS: 'Malicious process',
  CRYPTOMINING_IP: 'Cryptomining IP address',
  CRYPTOMINING_DOMAIN: 'Cryptomining domain',
  CRYPTOMINING_PROCESS: 'Cryptomining process',
  MALICIOUS_FILE: 'Malicious file',
  VULNERABILITY: 'Vulnerability',
  MALICIOUS_PACKAGE: 'Malicious package',
  MISCONFIGURATION: 'Misconfiguration',
  REACHABILITY: 'Reachability',
  SENSITIVE_DATA: 'Sensitive data',
};

export function indicatorMeaning(key: string): string {
  return INDICATOR_MEANINGS[key] ?? key;
}

/** `deploy-bot (IAMUser)`, else the process, else the actor id. */
export function actorLabel(actor: SequenceActor): string {
  if (actor.userName !== undefined) return actor.userType !== undefined ? `${actor.userName} (${actor.userType})` : actor.userName;
  if (actor.processName !== undefined) return `process ${actor.processName}`;
  return actor.id;
}

/** `198.51.100.7:443 (Amsterdam, Netherlands; AS64500 Example Net)`, as far as GuardDuty said. */
export function endpointLabel(endpoint: SequenceEndpoint, detailed = false): string {
  const address = endpoint.ip ?? endpoint.domain ?? endpoint.id;
  const where = endpoint.port !== undefined ? `${address}:${endpoint.port}` : address;
  if (!detailed) return where;
  const place = [endpoint.city, endpoint.country].filter((p) => p !== undefined).join(', ');
  const as = endpoint.asNumber !== undefined ? `AS${endpoint.asNumber}${endpoint.asName ? ` ${endpoint.asName}` : ''}` : endpoint.asName;
  const about = [place, as].filter((p) => p !== undefined && p !== '').join('; ');
  const domain = endpoint.ip !== undefined && endpoint.domain !== undefined ? ` ${endpoint.domain}` : '';
  return about !== '' ? `${where}${domain} (${about})` : `${where}${domain}`;
}

/** The resource's name, else its uid. */
export function resourceLabel(resource: SequenceResource): string {
  return resource.name ?? resource.uid;
}

/** `KEY: v1, v2` for one indicator (its meaning where the key is known). */
export function indicatorText(indicator: SequenceIndicator): string {
  return indicator.values.length > 0 ? `${indicatorMeaning(indicator.key)}: ${indicator.values.join(', ')}` : indicatorMeaning(indicator.key);
}

/** Every value of the indicators of one key, sequence-level first, each once. */
export function indicatorValues(sequence: AttackSequence, key: string): string[] {
  const all = [...sequence.indicators, ...sequence.signals.flatMap((s) => s.indicators)];
  return [...new Set(all.filter((i) => i.key === key).flatMap((i) => i.values))];
}

/** At most `max` items then `and N more`: a table cell or a sentence about 400 actors stays readable. */
export function listed(items: readonly string[], max = 10, separator = ', '): string | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, max).join(separator);
  return items.length > max ? `${shown}${separator}and ${items.length - max} more` : shown;
}
