import type { ArtifactTypeSpec } from '../soar/case-system.js';

/** Custom artifact types `setup` creates when missing: IBM's three (names and descriptions), then ours. */
export const CUSTOM_ARTIFACT_TYPES = [
  { name: 'aws_iam_access_key_id', label: 'AWS IAM Access Key ID', description: 'Amazon Web Services (AWS) IAM access key id.' },
  { name: 'aws_iam_user_name', label: 'AWS IAM User Name', description: 'Amazon Web Services (AWS) IAM user name.' },
  { name: 'aws_s3_bucket_name', label: 'AWS S3 Bucket Name', description: 'Amazon Web Services (AWS) S3 bucket name.' },
  {
    name: 'aws_container_image',
    label: 'AWS Container Image',
    description: 'Container image (repository with tag or digest) of an Amazon ECS task, a Kubernetes workload or a container named in a GuardDuty finding.',
  },
  {
    name: 'aws_resource_arn',
    label: 'AWS Resource ARN',
    description: 'Amazon Resource Name (ARN) of an AWS resource involved in a GuardDuty attack sequence.',
  },
] as const satisfies readonly ArtifactTypeSpec[];

/**
 * Built-in SOAR artifact types the mapping uses, by their standard names; `check` verifies they
 * exist, and `setup` creates any the org lacks as custom types.
 */
export const BUILT_IN_ARTIFACT_TYPES = [
  'IP Address', 'DNS Name', 'Port', 'URI Path', 'User Account', 'Process Name', 'File Path', 'File Name',
  'Malware MD5 Hash', 'Malware SHA-1 Hash', 'Malware SHA-256 Hash',
] as const;

export type ArtifactTypeName = (typeof BUILT_IN_ARTIFACT_TYPES)[number] | (typeof CUSTOM_ARTIFACT_TYPES)[number]['name'];

export type HashArtifactType = 'Malware MD5 Hash' | 'Malware SHA-1 Hash' | 'Malware SHA-256 Hash';

const HASH_TYPES_BY_LENGTH: Readonly<Record<number, HashArtifactType>> = {
  32: 'Malware MD5 Hash',
  40: 'Malware SHA-1 Hash',
  64: 'Malware SHA-256 Hash',
};

/**
 * SOAR's hash type for a hex digest, by its length. GuardDuty documents its malware hashes as
 * SHA-256, but says so nowhere in the model, so the length decides; anything else is no hash artifact
 * (it stays in the data table).
 */
export function hashArtifactType(value: unknown): HashArtifactType | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.trim();
  return /^[0-9a-f]+$/i.test(hex) ? HASH_TYPES_BY_LENGTH[hex.length] : undefined;
}
