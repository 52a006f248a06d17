import { describe, expect, it } from 'vitest';
import { extractArtifacts } from '../../../src/artifacts/extract-artifacts.js';
import { CUSTOM_ARTIFACT_TYPES } from '../../../src/artifacts/artifact-types.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

const SEQUENCE = 'Service.Detection.Sequence';

describe('artifacts of an attack sequence', () => {
  const finding = loadFinding('attack-sequence-s3-compromised-data');
  const artifacts = extractArtifacts(finding);
  const pairs = artifacts.map((a) => [a.type, a.value]);
  const described = (type: string, value: string): string | undefined => artifacts.find((a) => a.type === type && a.value === value)?.description;

  it('endpoint IPs and domains, actor user names, keys and processes, indicator values, resource ARNs and buckets: each once', () => {
    // The finding's own resource comes first (as for every finding); the sequence adds what it alone names.
    expect(pairs).toEqual([
      ['aws_iam_access_key_id', 'AKIAEXAMPLESEQ000002'],
      ['aws_iam_user_name', 'deploy-bot'],
      ['aws_s3_bucket_name', 'customer-exports'],
      ['IP Address', '185.220.101.7'],
      ['IP Address', '203.0.113.50'],
      ['DNS Name', 'exfil.example.net'],
      ['Process Name', 'rclone'],
      ['File Path', '/usr/local/bin/rclone'],
      ['Malware SHA-256 Hash', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
      ['aws_resource_arn', 'arn:aws:s3:::customer-exports'],
    ]);
    expect(new Set(pairs.map((p) => p.join('|'))).size).toBe(pairs.length);
  });

  it('each description names the field and says which part of the sequence it came from', () => {
    expect(described('IP Address', '203.0.113.50')).toBe(`GuardDuty finding field ${SEQUENCE}.Endpoints[1].Ip (network endpoint ep-2 of the attack sequence)`);
    expect(described('Process Name', 'rclone')).toBe(`GuardDuty finding field ${SEQUENCE}.Actors[1].Process.Name (actor process rclone of the attack sequence)`);
    expect(described('aws_resource_arn', 'arn:aws:s3:::customer-exports')).toBe(
      `GuardDuty finding field ${SEQUENCE}.Resources[0].Uid (resource customer-exports of the attack sequence)`);
  });

  it('indicator values that are observables become artifacts; tactics, techniques and non-addresses do not', () => {
    const seq = (finding.Service as any).Detection.Sequence;
    seq.Endpoints = [];
    seq.Actors = [];
    seq.SequenceIndicators = [
      { Key: 'MALICIOUS_IP', Values: ['198.51.100.66', 'threat-list'] },
      { Key: 'CRYPTOMINING_DOMAIN', Values: ['pool.example.org'] },
      { Key: 'MALICIOUS_FILE', Values: ['/tmp/.x/miner', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'dropper.sh'] },
      { Key: 'ATTACK_TECHNIQUE', Values: ['T1078'] },
    ];
    const found = extractArtifacts(finding);
    const types = (value: string): string | undefined => found.find((a) => a.value === value)?.type;
    expect(types('198.51.100.66')).toBe('IP Address');
    expect(types('threat-list')).toBeUndefined();
    expect(types('pool.example.org')).toBe('DNS Name');
    expect(types('/tmp/.x/miner')).toBe('File Path');
    expect(types('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe('Malware SHA-256 Hash');
    expect(types('dropper.sh')).toBe('File Name');
    expect(types('T1078')).toBeUndefined();
    expect(found.find((a) => a.value === '198.51.100.66')?.description).toBe(
      `GuardDuty finding field ${SEQUENCE}.SequenceIndicators[0].Values[0] (MALICIOUS_IP indicator of the attack sequence)`);
  });

  it('setup creates the resource ARN type', () => {
    expect(CUSTOM_ARTIFACT_TYPES.map((t) => t.name)).toContain('aws_resource_arn');
  });
});
