import { describe, expect, it } from 'vitest';
import { BUILT_IN_ARTIFACT_TYPES, CUSTOM_ARTIFACT_TYPES, hashArtifactType } from '../../../src/artifacts/artifact-types.js';
import { extractArtifacts } from '../../../src/artifacts/extract-artifacts.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('artifact types', () => {
  it('declares IBM’s custom artifact types with their display names and descriptions, then the container image and the resource ARN (attack sequences)', () => {
    expect(CUSTOM_ARTIFACT_TYPES.slice(0, 3)).toEqual([
      { name: 'aws_iam_access_key_id', label: 'AWS IAM Access Key ID', description: 'Amazon Web Services (AWS) IAM access key id.' },
      { name: 'aws_iam_user_name', label: 'AWS IAM User Name', description: 'Amazon Web Services (AWS) IAM user name.' },
      { name: 'aws_s3_bucket_name', label: 'AWS S3 Bucket Name', description: 'Amazon Web Services (AWS) S3 bucket name.' },
    ]);
    expect(CUSTOM_ARTIFACT_TYPES.map((t) => [t.name, t.label])).toEqual([
      ['aws_iam_access_key_id', 'AWS IAM Access Key ID'], ['aws_iam_user_name', 'AWS IAM User Name'],
      ['aws_s3_bucket_name', 'AWS S3 Bucket Name'], ['aws_container_image', 'AWS Container Image'],
      ['aws_resource_arn', 'AWS Resource ARN'],
    ]);
  });

  it('uses only SOAR’s standard names for built-in types (setup would otherwise create look-alikes)', () => {
    const standard = [
      'IP Address', 'DNS Name', 'URL', 'Port', 'URI Path', 'User Account', 'File Name', 'File Path', 'Process Name',
      'Malware MD5 Hash', 'Malware SHA-1 Hash', 'Malware SHA-256 Hash', 'System Name', 'User Agent',
    ];
    for (const name of BUILT_IN_ARTIFACT_TYPES) expect(standard).toContain(name);
  });

  it('classifies a digest by its length: MD5, SHA-1, SHA-256, or none', () => {
    expect(hashArtifactType('d41d8cd98f00b204e9800998ecf8427e')).toBe('Malware MD5 Hash');
    expect(hashArtifactType('A9993E364706816ABA3E25717850C26C9CD0D89D')).toBe('Malware SHA-1 Hash');
    expect(hashArtifactType(' e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 ')).toBe('Malware SHA-256 Hash');
    for (const odd of ['', 'abc', 'g'.repeat(64), 'e3b0c442-98fc', 42, null]) expect(hashArtifactType(odd)).toBeUndefined();
  });

  it('every artifact the mapping produces has a declared type', () => {
    const known = new Set<string>([...BUILT_IN_ARTIFACT_TYPES, ...CUSTOM_ARTIFACT_TYPES.map((t) => t.name)]);
    const scenarios = [
      'port-probe-two-details', 's3-two-buckets', 'instance-two-nics', 'dns-request', 'access-key-api-call', 'eks-exec-in-kube-system',
      'ecs-runtime-two-containers', 'rds-brute-force-two-users', 'lambda-c2', 'ebs-malware-two-threats', 'runtime-process-lineage',
      'snapshot-malware-item-details',
    ];
    for (const scenario of scenarios) {
      for (const artifact of extractArtifacts(loadFinding(scenario))) expect(known).toContain(artifact.type);
    }
  });
});
