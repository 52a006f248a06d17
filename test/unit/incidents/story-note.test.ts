import { describe, expect, it } from 'vitest';
import { NOTE_TEXT_LIMIT } from '../../../src/incidents/finding-note.js';
import { storyNote } from '../../../src/incidents/story-note.js';
import { duration } from '../../../src/incidents/story-time.js';
import type { Finding } from '../../../src/findings/finding.js';
import { htmlToText } from '../../../src/util/html-text.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const origin = { region: 'eu-west-1', detectorId: 'det-1' };
/** The note as a responder reads it (tags gone, entities decoded), and its items by label. */
const readable = (finding: Finding): string => htmlToText(storyNote(finding, origin).content);
const item = (finding: Finding, label: string): string | undefined => {
  const match = new RegExp(`<li><b>${label}:</b> (.*?)</li>`).exec(storyNote(finding, origin).content);
  return match ? htmlToText(match[1] ?? '') : undefined;
};
/** The JSON of the collapsed block, unescaped. */
const jsonOf = (content: string): string => {
  const pre = /<pre>([\s\S]*)<\/pre>/.exec(content)?.[1] ?? '';
  return pre.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
};

describe('the story note (the first note of every incident)', () => {
  it('leads with the title and a summary, then keeps the whole finding as JSON in a collapsed block', () => {
    const finding = loadFinding('port-probe-two-details');
    const note = storyNote(finding, origin);
    expect(note.format).toBe('html');
    expect(note.content.startsWith('<p><b>Unprotected port on EC2 instance i-0abc1234def567890 is being probed.</b></p><ul><li><b>What:</b>')).toBe(true);
    expect(item(finding, 'What')).toBe('Recon:EC2/PortProbeUnprotectedPort, severity 2 (Low), seen 3 times. '
      + 'EC2 instance has an unprotected port which is being probed by a known malicious host.');
    expect(item(finding, 'From where')).toBe('198.51.100.7 (Springfield, Exampleland; EXAMPLE-AS); 192.0.2.44 (Shelbyville, Otherland; OTHER-AS)');
    expect(item(finding, 'Affected')).toBe('EC2 instance i-0abc1234def567890 "web-1" (t3.micro)');
    expect(item(finding, 'When')).toBe('first seen 2025-01-02 02:59:00 UTC, last seen 2025-01-02 05:00:00 UTC (2 h 1 min); GuardDuty last updated it 2025-01-02 05:06:07 UTC.');
    expect(item(finding, 'Where')).toBe('AWS account 123456789012, region eu-west-1');
    expect(note.content).toMatch(/<details><summary>The whole finding as GuardDuty sent it \(JSON\): 5e1a0c4b9f2d4e7a8b3c6d9e0f1a2b3c, as of 2025-01-02T05:06:07.890Z<\/summary><pre>/);
    // Indented JSON a responder can copy: the <pre> keeps the indentation HTML would drop.
    expect(JSON.parse(jsonOf(note.content))).toEqual(finding);
    expect(jsonOf(note.content)).toContain('\n  "AccountId": "123456789012",\n');
  });

  it('every family says who, from where or what was contacted, and what was affected', () => {
    expect(item(loadFinding('access-key-api-call'), 'Who')).toMatch(/with access key /);
    expect(item(loadFinding('eks-exec-in-kube-system'), 'Who')).toBe('Kubernetes user kubernetes-admin (groups system:masters, system:authenticated)');
    expect(item(loadFinding('eks-exec-in-kube-system'), 'Affected')).toBe('EKS cluster prod-eks; Kubernetes workload kube-system/aws-node-x7k2p');
    expect(item(loadFinding('runtime-process-lineage'), 'Who')).toBe('process inject (/dev/shm/inject) running as app; target process sshd (/usr/sbin/sshd) running as root');
    expect(item(loadFinding('dns-request'), 'Contacted')).toMatch(/^DNS name /);
    expect(item(loadFinding('rds-brute-force-two-users'), 'Who')).toMatch(/login attempts as /);
    expect(item(loadFinding('lambda-c2'), 'Affected')).toMatch(/^Lambda function /);
    expect(item(loadFinding('s3-two-buckets'), 'Affected')).toBe('S3 buckets customer-exports, customer-logs');
    // A finding with nothing but its type and times still gets a story.
    const bare = readable(loadFinding('no-title-no-severity'));
    expect(bare).toMatch(/^\S+ finding What: /);
    expect(bare).toContain('Where: AWS account 123456789012, region eu-west-1');
  });

  it('an attack sequence: how many signals over how long, who, from where, MITRE tactics and techniques, and the timeline', () => {
    const finding = loadFinding('attack-sequence-s3-compromised-data');
    const content = storyNote(finding, origin).content;
    expect(htmlToText(/<\/b><\/p><p>(.*?)<\/p>/.exec(content)?.[1] ?? '')).toBe(
      'An attack sequence of 4 signals over 3 h 29 min (2 GuardDuty findings, 2 activity signals), '
      + 'from 2025-11-03 06:02:11 UTC to 2025-11-03 09:31:48 UTC. GuardDuty also matched AttackSequence:IAM/CompromisedCredentials.');
    expect(item(finding, 'Who')).toBe('deploy-bot (IAMUser); process rclone');
    expect(item(finding, 'From where')).toBe('185.220.101.7:443 (Frankfurt, Germany; AS64501 Tor Relay Net); 203.0.113.50 exfil.example.net');
    expect(item(finding, 'Affected')).toBe('customer-exports; AKIAEXAMPLESEQ000002');
    expect(item(finding, 'When')).toBe('first signal 2025-11-03 06:02:11 UTC, last signal 2025-11-03 09:31:48 UTC (3 h 29 min); '
      + 'GuardDuty last updated the sequence 2025-11-03 09:40:00 UTC.');
    expect(item(finding, 'MITRE ATT&amp;CK')).toBe('tactics Initial Access, Discovery, Exfiltration; techniques T1078.004, T1619, T1537');
    const timeline = [...content.matchAll(/<ol>(.*?)<\/ol>/g)][0]?.[1]?.split('</li><li>').map(htmlToText);
    expect(timeline).toEqual([
      '2025-11-03 06:02:11 UTC (for 27 min 49 s) UnauthorizedAccess:IAMUser/TorIPCaller (GuardDuty finding, severity 5, 3 times): An API was invoked from a Tor exit node.',
      '2025-11-03 07:00:00 UTC (for 12 min) ListBuckets (CloudTrail activity, severity 2, 12 times): Bucket discovery with the compromised key.',
      '2025-11-03 08:00:00 UTC (for 1 h 30 min) GetObject (S3 data events, 3120 times)',
      '2025-11-03 08:05:30 UTC (for 1 h 26 min) Exfiltration:S3/AnomalousBehavior (GuardDuty finding, severity 8, 41 times): Objects copied out of customer-exports.',
    ]);
  });

  it('an anomaly finding says what was unusual and against which profile', () => {
    expect(item(loadFinding('iam-anomalous-behavior'), 'Unusual')).toBe('api ListBuckets (UNSEEN for USER; usually GetObject, PutObject), '
      + 'asn 64501 (UNSEEN for USER; usually 16509), userAgent aws-cli/2.15.0 (RARE for ACCOUNT; usually Boto3/1.34.0, console.amazonaws.com)');
  });

  it('escapes every attacker-influenced value: no tag from a finding reaches the note', () => {
    const finding = loadFinding('attack-sequence-s3-compromised-data');
    finding.Title = '<img src=x onerror=alert(1)>';
    const seq = (finding.Service as any).Detection.Sequence;
    seq.Signals[1].Name = '</li><script>alert(2)</script>';
    seq.Actors[0].User.Name = '<b onmouseover=x>';
    seq.Description = '"><iframe src=//evil>';
    const content = storyNote(finding, origin).content;
    const tags = [...content.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['p', 'b', 'ul', 'li', 'ol', 'details', 'summary', 'pre']));
    expect(content).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(jsonOf(content)).toContain('</li><script>alert(2)</script>');
  });

  it('stays within the note limit however large the sequence, the story whole and the JSON cut', () => {
    const finding = loadFinding('attack-sequence-s3-compromised-data');
    const seq = (finding.Service as any).Detection.Sequence;
    seq.Actors = Array.from({ length: 400 }, (_, i) => ({ Id: `a${i}`, User: { Name: `user<${i}>`, Uid: `U${i}`, Type: 'IAMUser' }, Session: { Issuer: 'x'.repeat(300) } }));
    seq.Signals = Array.from({ length: 100 }, (_, i) => ({ Uid: `s${i}`, Type: 'CLOUD_TRAIL', Name: `Api${i}`, Description: 'd'.repeat(500),
      FirstSeenAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(), Count: 1, ActorIds: seq.Actors.map((a: { Id: string }) => a.Id) }));
    const content = storyNote(finding, origin).content;
    expect(content.length).toBeLessThanOrEqual(NOTE_TEXT_LIMIT);
    expect(content.match(/<li>/g)?.length).toBeGreaterThanOrEqual(100);
    expect(htmlToText(content)).toContain('An attack sequence of 100 signals over 1 h 39 min (0 GuardDuty findings, 100 activity signals)');
    expect(item(finding, 'Who')).toBe('user<0> (IAMUser); user<1> (IAMUser); user<2> (IAMUser); user<3> (IAMUser); user<4> (IAMUser); and 395 more');
    expect(jsonOf(content)).toMatch(/\[TRUNCATED: the last [\d,]+ of [\d,]+ characters/);
  });

  it('durations read as a person says them', () => {
    expect([45_000, 60_000, 12_600_000, 2 * 86_400_000 + 4 * 3_600_000 + 60_000, 0].map(duration)).toEqual(['45 s', '1 min', '3 h 30 min', '2 d 4 h', '0 s']);
  });
});
