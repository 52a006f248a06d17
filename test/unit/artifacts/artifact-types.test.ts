import { describe, expect, it } from 'vitest';
import { BUILT_IN_ARTIFACT_TYPES, CUSTOM_ARTIFACT_TYPES } from '../../../src/artifacts/artifact-types.js';
import { extractArtifacts } from '../../../src/artifacts/extract-artifacts.js';
import { loadFinding } from '../../fixtures/findings/load-finding.js';

describe('artifact types', () => {
  it('declares IBM’s custom artifact types with their display names and descriptions', () => {
    expect(CUSTOM_ARTIFACT_TYPES).toEqual([
      { name: 'aws_iam_access_key_id', label: 'AWS IAM Access Key ID', description: 'Amazon Web Services (AWS) IAM access key id.' },
      { name: 'aws_iam_user_name', label: 'AWS IAM User Name', description: 'Amazon Web Services (AWS) IAM user name.' },
      { name: 'aws_s3_bucket_name', label: 'AWS S3 Bucket Name', description: 'Amazon Web Services (AWS) S3 bucket name.' },
    ]);
  });

  it('every artifact the mapping produces has a declared type', () => {
    const known = new Set<string>([...BUILT_IN_ARTIFACT_TYPES, ...CUSTOM_ARTIFACT_TYPES.map((t) => t.name)]);
    for (const scenario of ['port-probe-two-details', 's3-two-buckets', 'instance-two-nics', 'dns-request', 'access-key-api-call']) {
      for (const artifact of extractArtifacts(loadFinding(scenario))) expect(known).toContain(artifact.type);
    }
  });
});
