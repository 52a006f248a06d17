import { actorLabel, resourceLabel } from '../findings/attack-sequence-labels.js';
import { attackSequence, type SequenceIndicator } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';
import type { ArtifactTypeName } from './artifact-types.js';
import type { ArtifactList } from './artifact-list.js';

const BASE = 'Service.Detection.Sequence';

/**
 * The observables of an attack sequence: the endpoints' IPs and domains, the actors' user names,
 * access keys and processes, the values of the indicators that are observables (malicious IPs and
 * domains, processes, files), then the resources' ARNs, bucket names and access keys. Each
 * description names its field and says in words which part of the sequence it came from.
 */
export function addSequenceArtifacts(finding: Finding, out: ArtifactList): void {
  const sequence = attackSequence(finding);
  if (!sequence) return;
  for (const e of sequence.endpoints) {
    const path = `${BASE}.Endpoints[${e.index}]`;
    out.add('IP Address', e.ip, `${path}.Ip`, `network endpoint ${e.id} of the attack sequence`);
    out.add('DNS Name', e.domain, `${path}.Domain`, `network endpoint ${e.id} of the attack sequence`);
  }
  for (const a of sequence.actors) {
    const path = `${BASE}.Actors[${a.index}]`;
    const about = `actor ${actorLabel(a)} of the attack sequence`;
    out.add('aws_iam_user_name', a.userName, `${path}.User.Name`, about);
    if (isAccessKey(a.credentialUid)) out.add('aws_iam_access_key_id', a.credentialUid, `${path}.User.CredentialUid`, about);
    out.add('Process Name', a.processName, `${path}.Process.Name`, about);
    out.add('File Path', a.processPath, `${path}.Process.Path`, about);
    out.addHash(a.processSha256, `${path}.Process.Sha256`, about);
  }
  for (const indicator of sequence.indicators) addIndicator(indicator, `${BASE}.SequenceIndicators[${indicator.index}]`, 'indicator of the attack sequence', out);
  for (const signal of sequence.signals) {
    for (const indicator of signal.indicators) {
      addIndicator(indicator, `${BASE}.Signals[${signal.index}].SignalIndicators[${indicator.index}]`, `indicator of signal ${signal.name}`, out);
    }
  }
  for (const r of sequence.resources) {
    const path = `${BASE}.Resources[${r.index}]`;
    const about = `resource ${resourceLabel(r)} of the attack sequence`;
    if (r.uid.startsWith('arn:')) out.add('aws_resource_arn', r.uid, `${path}.Uid`, about);
    out.add('aws_s3_bucket_name', r.bucketName, r.name !== undefined ? `${path}.Name` : `${path}.Uid`, about);
    if (r.type === 'ACCESS_KEY' && isAccessKey(r.uid)) out.add('aws_iam_access_key_id', r.uid, `${path}.Uid`, about);
  }
}

/** Indicator keys whose values are observables, and the artifact type of their values. */
const OBSERVABLE_KEYS: Readonly<Record<string, 'ip' | 'domain' | 'process' | 'file'>> = {
  MALICIOUS_IP: 'ip', TOR_IP: 'ip', CRYPTOMINING_IP: 'ip',
  MALICIOUS_DOMAIN: 'domain', CRYPTOMINING_DOMAIN: 'domain',
  MALICIOUS_PROCESS: 'process', SUSPICIOUS_PROCESS: 'process', CRYPTOMINING_PROCESS: 'process',
  MALICIOUS_FILE: 'file',
};

/**
 * An indicator's values as artifacts, when its key names observables and the value looks like one
 * (GuardDuty may put a threat list's name where an address would be: that stays in the table).
 */
function addIndicator(indicator: SequenceIndicator, path: string, where: string, out: ArtifactList): void {
  const kind = OBSERVABLE_KEYS[indicator.key];
  if (!kind) return;
  const about = `${indicator.key} ${where}`;
  indicator.values.forEach((value, j) => {
    const at = `${path}.Values[${j}]`;
    const type = artifactType(kind, value);
    if (type === 'hash') out.addHash(value, at, about);
    else if (type) out.add(type, value, at, about);
  });
}

function artifactType(kind: 'ip' | 'domain' | 'process' | 'file', value: string): ArtifactTypeName | 'hash' | undefined {
  switch (kind) {
    case 'ip': return isIp(value) ? 'IP Address' : undefined;
    case 'domain': return /^[a-z0-9_-]+(\.[a-z0-9_-]+)+\.?$/i.test(value) ? 'DNS Name' : undefined;
    case 'process': return /[/\\]/.test(value) ? 'File Path' : 'Process Name';
    case 'file': return /^[0-9a-f]{32,64}$/i.test(value) ? 'hash' : /[/\\]/.test(value) ? 'File Path' : 'File Name';
  }
}

function isIp(value: string): boolean {
  return /^(\d{1,3}\.){3}\d{1,3}$/.test(value) || (/^[0-9a-f:]+$/i.test(value) && value.includes(':'));
}

/** AWS access key ids: AKIA (long-term) or ASIA (temporary), then 16 upper-case letters or digits. */
function isAccessKey(value: string | undefined): value is string {
  return value !== undefined && /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(value);
}
