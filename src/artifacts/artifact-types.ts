import type { ArtifactTypeSpec } from '../soar/case-system.js';

/** Custom artifact types `setup` creates when missing (IBM's names and descriptions). */
export const CUSTOM_ARTIFACT_TYPES: readonly ArtifactTypeSpec[] = [
  { name: 'aws_iam_access_key_id', label: 'AWS IAM Access Key ID', description: 'Amazon Web Services (AWS) IAM access key id.' },
  { name: 'aws_iam_user_name', label: 'AWS IAM User Name', description: 'Amazon Web Services (AWS) IAM user name.' },
  { name: 'aws_s3_bucket_name', label: 'AWS S3 Bucket Name', description: 'Amazon Web Services (AWS) S3 bucket name.' },
];

/** Built-in SOAR artifact types the mapping uses; `check` verifies they exist, `setup` cannot create them. */
export const BUILT_IN_ARTIFACT_TYPES = ['IP Address', 'DNS Name', 'Port'] as const;

export type ArtifactTypeName = (typeof BUILT_IN_ARTIFACT_TYPES)[number] | 'aws_iam_access_key_id' | 'aws_iam_user_name' | 'aws_s3_bucket_name';
