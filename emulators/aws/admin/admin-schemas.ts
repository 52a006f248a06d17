import { z } from 'zod';
import { faultRuleBaseShape } from '../../shared/fault-schema.js';

/** Zod schemas of the admin API's request bodies (strict: a misspelt key is an error, not ignored). */

const timeValue = z.union([z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO date'), z.number().int()]);
const accountId = z.string().regex(/^\d{12}$/, '12 digits');
const ids = z.array(z.string().min(1)).min(1);

export const generateSchema = z.strictObject({
  count: z.number().int().min(1).max(100_000).optional(),
  account: accountId.optional(),
  region: z.string().optional(),
  regions: z.array(z.string()).min(1).optional(),
  type: z.string().optional(),
  types: z.array(z.string()).min(1).optional(),
  severity: z.number().min(0).max(10).optional(),
  updatedAt: timeValue.optional(),
  createdAt: timeValue.optional(),
  archived: z.boolean().optional(),
  title: z.string().optional(),
  serviceCount: z.number().int().min(1).optional(),
  spreadMs: z.number().int().min(1000).optional(),
});

export const addFindingsSchema = z.union([
  z.strictObject({ findings: z.array(z.record(z.string(), z.unknown())).min(1) }),
  z.strictObject({ generate: generateSchema }),
]);

export const updateSchema = z.strictObject({
  recur: z.number().int().min(1).optional(),
  serviceCount: z.number().int().min(1).optional(),
  severity: z.number().min(0).max(10).optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  updatedAt: timeValue.optional(),
  archived: z.boolean().optional(),
});

export const idsSchema = z.strictObject({ ids });

export const sequenceSchema = z.strictObject({
  type: z.string().optional(),
  account: accountId.optional(),
  region: z.string().optional(),
  updatedAt: timeValue.optional(),
  extraSignals: z.number().int().min(0).max(100).optional(),
  extraActors: z.number().int().min(0).max(400).optional(),
});

export const growSchema = z.strictObject({ memberType: z.string().optional(), updatedAt: timeValue.optional(), observeAgain: z.number().int().min(0).optional() });

export const faultSchema = z.strictObject({
  service: z.enum(['guardduty', 'ec2', 'sts', 's3', '*']).optional(),
  operation: z.string().optional(),
  accessKeyId: z.string().optional(),
  region: z.string().optional(),
  ...faultRuleBaseShape,
  statuses: z.array(z.number().int().min(400).max(599)).min(1).optional(),
  latencyMs: z.number().int().min(0).optional(),
});

export const roleSchema = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/),
  externalId: z.string().optional(),
  maxSessionDurationSeconds: z.number().int().min(900).max(43200).optional(),
});

export const accountSchema = z.strictObject({
  accountId,
  accessKeys: z.array(z.union([
    z.string().min(16),
    z.strictObject({ accessKeyId: z.string().min(16), secretAccessKey: z.string().optional(), userName: z.string().optional() }),
  ])).optional(),
  acceptAnyAccessKey: z.boolean().optional(),
  regions: z.array(z.string()).optional(),
  optedInRegions: z.array(z.string()).optional(),
  administrator: accountId.optional(),
  roles: z.array(z.union([z.string(), roleSchema])).optional(),
});

export const bucketSchema = z.strictObject({
  name: z.string().min(1),
  account: accountId.optional(),
  region: z.string().min(1).optional(),
  allowAccounts: z.array(accountId).optional(),
});

export const objectSchema = z.strictObject({
  bucket: z.string().min(1),
  key: z.string().min(1),
  text: z.string(),
  contentType: z.string().min(1).optional(),
});

export const objectQuerySchema = z.strictObject({ bucket: z.string().min(1), key: z.string().min(1) });

export const listObjectsSchema = z.strictObject({ bucket: z.string().min(1), prefix: z.string().optional() });

const threatListKind = z.enum(['ipset', 'threatintelset']);

export const threatListFilterSchema = z.strictObject({
  account: accountId.optional(),
  region: z.string().min(1).optional(),
  kind: threatListKind.optional(),
});

/** The set's own members are checked by the same validation as CreateIPSet (GuardDuty's wording). */
export const threatListSeedSchema = z.strictObject({
  account: accountId.optional(),
  region: z.string().min(1).optional(),
  kind: threatListKind,
  set: z.record(z.string(), z.unknown()),
});

const threat = z.strictObject({
  name: z.string().min(1),
  hash: z.string().min(1),
  paths: z.array(z.string().min(1)),
  source: z.enum(['AMAZON', 'BITDEFENDER']).optional(),
});

export const scanPlanSchema = z.strictObject({
  resourceArn: z.string().min(1),
  outcome: z.enum(['NO_THREATS_FOUND', 'THREATS_FOUND', 'FAILED', 'SKIPPED']),
  threats: z.array(threat).optional(),
  reason: z.string().min(1).optional(),
  durationMs: z.number().int().min(0).optional(),
  polls: z.number().int().min(0).optional(),
});

export const guardDutyScanSchema = z.strictObject({ findingId: z.string().min(1), resourceArn: z.string().min(1).optional() });

export const finishScansSchema = z.strictObject({ resourceArn: z.string().min(1).optional() });

export const protectBucketSchema = z.strictObject({ bucket: z.string().min(1) });

export const coverageSchema = z.strictObject({
  account: accountId.optional(),
  region: z.string().min(1).optional(),
  resourceId: z.string().min(1),
  resourceType: z.enum(['EC2', 'EKS', 'ECS']).optional(),
  coverageStatus: z.enum(['HEALTHY', 'UNHEALTHY']),
  issue: z.string().min(1).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const relationshipSchema = z.strictObject({ relationshipStatus: z.string().min(1) });

export const detectorUpdateSchema = z.strictObject({
  account: accountId.optional(),
  region: z.string().min(1),
  enable: z.boolean().optional(),
  features: z.array(z.strictObject({ name: z.string().min(1), status: z.enum(['ENABLED', 'DISABLED']) })).optional(),
});
