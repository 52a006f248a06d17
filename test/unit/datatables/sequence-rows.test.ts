import { describe, expect, it } from 'vitest';
import { rowFingerprint } from '../../../src/datatables/fingerprint.js';
import { mapRows, type TableRow } from '../../../src/datatables/map-rows.js';
import { DATA_TABLE_SPECS } from '../../../src/datatables/table-definitions.js';
import type { Finding } from '../../../src/findings/finding.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const table = (rows: TableRow[], name: string): Record<string, string>[] => rows.filter((r) => r.table === name).map((r) => r.cells);
const rowsOf = (scenario: string, name: string): Record<string, string>[] => table(mapRows(loadFinding(scenario)), name);

const SEQUENCE_TABLES = ['gd_sequence_signals', 'gd_sequence_actors', 'gd_sequence_endpoints', 'gd_sequence_resources', 'gd_sequence_indicators'];

describe('attack-sequence tables', () => {
  it('setup creates the five sequence tables and the anomaly table, every column text, after the tables IBM had', () => {
    const names = DATA_TABLE_SPECS.map((t) => t.name);
    expect(names.slice(0, 6)).toEqual(['gd_finding_overview', 'gd_resource_affected', 'gd_instance_details', 'gd_access_key_details',
      'gd_s3_bucket_details', 'gd_action_details']);
    for (const name of [...SEQUENCE_TABLES, 'gd_anomaly_details']) {
      const spec = DATA_TABLE_SPECS.find((t) => t.name === name);
      expect(spec, name).toBeDefined();
      expect(spec?.columns[0]?.name).toBe('query_execution_date');
      expect(new Set(spec?.columns.map((c) => c.inputType))).toEqual(new Set(['text']));
    }
  });

  it('one signal row per signal in time order (first seen), naming its actors, endpoints, resources and indicators', () => {
    const rows = rowsOf('attack-sequence-s3-compromised-data', 'gd_sequence_signals');
    expect(rows.map((r) => [r.first_seen, r.signal_type, r.name])).toEqual([
      ['2025-11-03T06:02:11.000Z', 'FINDING', 'UnauthorizedAccess:IAMUser/TorIPCaller'],
      ['2025-11-03T07:00:00.000Z', 'CLOUD_TRAIL', 'ListBuckets'],
      ['2025-11-03T08:00:00.000Z', 'S3_DATA_EVENTS', 'GetObject'],
      ['2025-11-03T08:05:30.000Z', 'FINDING', 'Exfiltration:S3/AnomalousBehavior'],
    ]);
    expect(rows[3]).toEqual({
      first_seen: '2025-11-03T08:05:30.000Z', last_seen: '2025-11-03T09:31:48.000Z', signal_type: 'FINDING', name: 'Exfiltration:S3/AnomalousBehavior',
      description: 'Objects copied out of customer-exports.', severity: '8', count: '41', actors: 'deploy-bot (IAMUser), process rclone',
      endpoints: '185.220.101.7:443, 203.0.113.50', resources: 'customer-exports',
      indicators: 'MITRE ATT&CK tactic: Exfiltration; MITRE ATT&CK technique: T1537',
      signal_uid: 'arn:aws:guardduty:eu-west-1:111122223333:detector/5ec0a7b1c2d3e4f5a6b7c8d9e0f1a2b3/finding/aaaa0000000000000000000000000003',
    });
    // An unknown indicator key (AWS adds keys) is kept as it was sent.
    expect(rows[1]?.indicators).toContain('BRAND_NEW_KEY: kept as sent');
    // The member's incident is the sync code's to fill in; the mapping never guesses it.
    for (const row of rows) expect(row.member_incident).toBeUndefined();
  });

  it('actors, endpoints and resources: one row each with what GuardDuty said about them', () => {
    expect(rowsOf('attack-sequence-s3-compromised-data', 'gd_sequence_actors')).toEqual([
      { actor_id: 'actor-1', user_name: 'deploy-bot', user_type: 'IAMUser', user_uid: 'AIDAEXAMPLESEQ000002', account_id: '111122223333',
        account_name: 'prod-data', credential_uid: 'AKIAEXAMPLESEQ000002', session_mfa: 'DISABLED',
        session_issuer: 'arn:aws:iam::111122223333:user/deploy-bot', session_created: '2025-11-03T06:00:00.000Z' },
      { actor_id: 'actor-2', process_name: 'rclone', process_path: '/usr/local/bin/rclone',
        process_sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
    ]);
    expect(rowsOf('attack-sequence-s3-compromised-data', 'gd_sequence_endpoints')).toEqual([
      { endpoint_id: 'ep-1', ip: '185.220.101.7', port: '443', direction: 'INBOUND', city: 'Frankfurt', country: 'Germany', location: '50.11, 8.68',
        asn: '64501', as_name: 'Tor Relay Net' },
      { endpoint_id: 'ep-2', ip: '203.0.113.50', domain: 'exfil.example.net' },
    ]);
    expect(rowsOf('attack-sequence-s3-compromised-data', 'gd_sequence_resources')).toEqual([
      { uid: 'arn:aws:s3:::customer-exports', name: 'customer-exports', resource_type: 'S3_BUCKET', account_id: '111122223333', region: 'eu-west-1',
        service: 's3', resource_tags: 'data=pii' },
      { uid: 'AKIAEXAMPLESEQ000002', resource_type: 'ACCESS_KEY', account_id: '111122223333', region: 'eu-west-1' },
    ]);
  });

  it('indicators: the sequence’s, then each signal’s that says more, named by the signal; MITRE tactics and techniques spelt out', () => {
    const rows = rowsOf('attack-sequence-s3-compromised-data', 'gd_sequence_indicators');
    expect(rows.slice(0, 2)).toEqual([
      { found_in: 'Attack sequence', indicator_key: 'ATTACK_TACTIC', meaning: 'MITRE ATT&CK tactic', title: 'MITRE ATT&CK tactics',
        indicator_values: 'Initial Access, Discovery, Exfiltration' },
      { found_in: 'Attack sequence', indicator_key: 'ATTACK_TECHNIQUE', meaning: 'MITRE ATT&CK technique', title: 'MITRE ATT&CK techniques',
        indicator_values: 'T1078.004, T1619, T1537' },
    ]);
    // A signal's tactics and techniques already among the sequence's are in its signal row, not here again.
    expect(rows.slice(4)).toEqual([{ found_in: 'Signal: ListBuckets', indicator_key: 'BRAND_NEW_KEY', meaning: 'BRAND_NEW_KEY', indicator_values: 'kept as sent' }]);
    const finding = loadFinding('attack-sequence-s3-compromised-data');
    (finding.Service as any).Detection.Sequence.SequenceIndicators = [];
    expect(table(mapRows(finding), 'gd_sequence_indicators')).toContainEqual({ found_in: 'Signal: ListBuckets', indicator_key: 'ATTACK_TECHNIQUE',
      meaning: 'MITRE ATT&CK technique', title: 'Cloud Storage Object Discovery', indicator_values: 'T1619' });
  });

  it('a finding without a sequence gets no row in the sequence tables; one without an anomaly none in the anomaly table', () => {
    for (const scenario of ['port-probe-two-details', 's3-two-buckets', 'iam-anomalous-behavior', 'no-title-no-severity', 'runtime-process-lineage']) {
      const tables = new Set(mapRows(loadFinding(scenario)).map((r) => r.table));
      for (const name of SEQUENCE_TABLES) expect(tables.has(name), `${scenario}: ${name}`).toBe(false);
    }
    expect(rowsOf('attack-sequence-s3-compromised-data', 'gd_anomaly_details')).toEqual([]);
  });

  it('an anomaly finding: what was unusual, how unusual, and what the profile usually sees', () => {
    expect(rowsOf('iam-anomalous-behavior', 'gd_anomaly_details')).toEqual([
      { profile: 'USER', feature: 'api', unusual: 'ListBuckets', frequency: 'UNSEEN', profile_type: 'FREQUENCY', usual: 'GetObject, PutObject', usual_frequency: 'FREQUENT' },
      { profile: 'USER', feature: 'asn', unusual: '64501', frequency: 'UNSEEN', profile_type: 'FREQUENCY', usual: '16509', usual_frequency: 'FREQUENT' },
      { profile: 'ACCOUNT', feature: 'userAgent', unusual: 'aws-cli/2.15.0', frequency: 'RARE', profile_type: 'FREQUENCY',
        usual: 'Boto3/1.34.0, console.amazonaws.com', usual_frequency: 'FREQUENT, INFREQUENT' },
    ]);
  });

  it('400 actors and 100 signals: every actor a row; a signal names ten actors and says how many more', () => {
    const finding = loadFinding('attack-sequence-s3-compromised-data');
    const sequence = (finding.Service as any).Detection.Sequence;
    sequence.Actors = Array.from({ length: 400 }, (_, i) => ({ Id: `a${i}`, User: { Name: `user-${i}`, Uid: `U${i}`, Type: 'IAMUser' } }));
    sequence.Signals = Array.from({ length: 100 }, (_, i) => ({
      Uid: `s${i}`, Type: 'CLOUD_TRAIL', Name: `Api${i}`, FirstSeenAt: new Date(Date.UTC(2025, 0, 1, 0, 100 - i)).toISOString(), Count: 1,
      ActorIds: sequence.Actors.map((a: { Id: string }) => a.Id),
    }));
    const rows = mapRows(finding);
    expect(table(rows, 'gd_sequence_actors')).toHaveLength(400);
    const signals = table(rows, 'gd_sequence_signals');
    expect(signals).toHaveLength(100);
    expect(signals[0]?.name).toBe('Api99');
    expect(signals[99]?.name).toBe('Api0');
    expect(signals[0]?.actors).toMatch(/^user-0 \(IAMUser\), .*user-9 \(IAMUser\), and 390 more$/);
  });

  it('odd members never throw and never make rows of labels only', () => {
    const finding = {
      ...loadFinding('no-title-no-severity'),
      Service: { Detection: {
        Sequence: { Signals: [null, 'x', {}, { Uid: 'u1', ActorIds: 'nope', Count: 'three' }], Actors: [{}, { Id: 7 }], Endpoints: 'x', Resources: [{ Name: 'no uid' }],
          SequenceIndicators: [{ Values: ['no key'] }] },
        Anomaly: { Unusual: { Behavior: { USER: { api: 'x', asn: {} } } }, Profiles: 4 },
      } },
    } as unknown as Finding;
    const rows = mapRows(finding);
    expect(table(rows, 'gd_sequence_signals')).toEqual([{ signal_type: 'UNKNOWN', name: 'u1', signal_uid: 'u1' }]);
    expect(table(rows, 'gd_sequence_actors')).toEqual([{ actor_id: '7' }]);
    expect(table(rows, 'gd_sequence_endpoints')).toEqual([]);
    expect(table(rows, 'gd_sequence_resources')).toEqual([]);
    expect(table(rows, 'gd_sequence_indicators')).toEqual([]);
    expect(table(rows, 'gd_anomaly_details')).toEqual([{ profile: 'USER', feature: 'asn' }]);
  });

  it('a signal row’s fingerprint ignores the member incident the daemon fills in later', () => {
    const [row] = mapRows(loadFinding('attack-sequence-s3-compromised-data')).filter((r) => r.table === 'gd_sequence_signals');
    if (!row) throw new Error('no signal row');
    expect(rowFingerprint({ ...row, cells: { ...row.cells, member_incident: '2095' } })).toBe(rowFingerprint(row));
    expect(rowFingerprint({ ...row, cells: { ...row.cells, count: '99' } })).not.toBe(rowFingerprint(row));
  });
});
