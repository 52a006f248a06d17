import { accessKeyDetails, instanceDetails, publicIp, s3Bucket, tags, type SampleContext } from './sample-finding-parts.js';
import type { SampleParts, SampleTemplate } from './sample-actions.js';
import { SEQUENCE_RECIPES, sequenceRecipe, type SequenceRecipe } from './sample-sequence-recipes.js';
import { epochSeconds, isJsonObject, type JsonObject, type WireFinding } from '../../protocol/wire.js';

/**
 * Attack-sequence findings (`service.detection.sequence`) in wire format. A template builds the
 * sequence with its activity signals and a placeholder FINDING signal per member type; `bindMembers`
 * then points each FINDING signal at a finding the emulator holds in the same account and region
 * (drops it when there is none: a sequence GuardDuty reports only names findings that exist).
 */

const HOUR = 3_600_000;

/** A wire value as text (the parts builders return JsonObjects). */
function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Templates of the sequence types not among the older templates (`except`). */
export function sequenceTemplates(except: readonly string[]): SampleTemplate[] {
  return SEQUENCE_RECIPES.filter((r) => !except.includes(r.type))
    .map((recipe) => ({ type: recipe.type, severity: recipe.severity, build: (ctx) => buildSequence(recipe, ctx) }));
}

export function buildSequence(recipe: SequenceRecipe, ctx: SampleContext): SampleParts {
  const p = ctx.prng;
  const key = accessKeyDetails(ctx);
  const start = ctx.createdAtMs - 4 * HOUR;
  const gap = Math.floor((3 * HOUR) / recipe.steps.length);
  const malicious = publicIp(ctx);
  const signals = recipe.steps.map((step, i): JsonObject => {
    const first = start + i * gap + p.int(0, 600) * 1000;
    const last = first + p.int(60, 1800) * 1000;
    const base: JsonObject = {
      createdAt: epochSeconds(first), updatedAt: epochSeconds(last), firstSeenAt: epochSeconds(first), lastSeenAt: epochSeconds(last),
      actorIds: ['actor-1', ...(recipe.process ? ['actor-2'] : [])], endpointIds: ['endpoint-1'], resourceUids: [],
      signalIndicators: [{ key: 'ATTACK_TACTIC', values: [step.tactic] }, { key: 'ATTACK_TECHNIQUE', values: [step.technique] }],
    };
    if (step.finding) return { ...base, uid: p.hex(32), type: 'FINDING', name: step.finding, description: `${step.finding} observed`, severity: 5, count: 1 };
    const activity = step.activity ?? { source: 'CLOUD_TRAIL', name: 'Unknown', description: '' };
    return { ...base, uid: `${activity.source.toLowerCase()}-${p.hex(12)}`, type: activity.source, name: activity.name, description: activity.description,
      severity: p.pick([2, 3, 5]), count: p.int(1, 400) };
  });
  const resource = sequenceResource(recipe, ctx, key);
  const resources = resourcesV2(recipe, ctx, resource, key);
  for (const s of signals) s.resourceUids = resources.map((r) => str(r.uid));
  const endpoints: JsonObject[] = [{
    id: 'endpoint-1', ip: malicious, port: 443, connection: { direction: 'INBOUND' },
    location: { city: 'Frankfurt am Main', country: 'Germany', lat: 50.11, lon: 8.68 }, autonomousSystem: { name: 'DOC-HOSTING-NET', number: 64500 },
  }];
  if (recipe.domain) endpoints.push({ id: 'endpoint-2', domain: recipe.domain.name, ip: publicIp(ctx), port: 3333, connection: { direction: 'OUTBOUND' } });
  const actors: JsonObject[] = [{
    id: 'actor-1',
    user: { name: str(key.userName), uid: str(key.principalId), type: 'IAMUser', credentialUid: str(key.accessKeyId), account: { uid: ctx.accountId, account: 'production' } },
    session: { uid: p.uuid(), mfaStatus: 'DISABLED', createdTime: epochSeconds(start - 600_000), issuer: `arn:aws:iam::${ctx.accountId}:user/${str(key.userName)}` },
  }];
  if (recipe.process) actors.push({ id: 'actor-2', process: { name: recipe.process.name, path: recipe.process.path, sha256: p.hex(64) } });
  const unique = (values: string[]): string[] => [...new Set(values)];
  const indicators: JsonObject[] = [
    { key: 'ATTACK_TACTIC', values: unique(recipe.steps.map((s) => s.tactic)), title: 'MITRE ATT&CK tactics' },
    { key: 'ATTACK_TECHNIQUE', values: unique(recipe.steps.map((s) => s.technique)), title: 'MITRE ATT&CK techniques' },
    { key: 'MALICIOUS_IP', values: [malicious], title: 'Malicious IP address' },
  ];
  if (recipe.domain) indicators.push({ key: recipe.domain.indicator, values: [recipe.domain.name] });
  if (recipe.process) indicators.push({ key: 'CRYPTOMINING_PROCESS', values: [recipe.process.name] });
  return {
    title: recipe.title,
    description: recipe.description,
    resource,
    service: {
      eventFirstSeen: new Date(start).toISOString(),
      detection: {
        sequence: { uid: p.hex(32), description: recipe.description, actors, resources, endpoints, signals, sequenceIndicators: indicators, additionalSequenceTypes: [] },
      },
    },
  };
}

function sequenceResource(recipe: SequenceRecipe, ctx: SampleContext, key: JsonObject): JsonObject {
  const base = `arn:aws:${recipe.resource}:${ctx.region}:${ctx.accountId}`;
  switch (recipe.resource) {
    case 's3': return { resourceType: 'S3Bucket', accessKeyDetails: key, s3BucketDetails: [s3Bucket(ctx, `customer-data-${ctx.prng.hex(6)}`)] };
    case 'eks': return { resourceType: 'EKSCluster', eksClusterDetails: { name: 'prod-eks-1', arn: `${base}:cluster/prod-eks-1`, status: 'ACTIVE', tags: tags({ team: 'platform' }) } };
    case 'ecs': return { resourceType: 'ECSCluster', ecsClusterDetails: { name: 'payments', arn: `${base}:cluster/payments`, status: 'ACTIVE' } };
    case 'ec2': return { resourceType: 'Instance', instanceDetails: instanceDetails(ctx) };
    default: return { resourceType: 'AccessKey', accessKeyDetails: key };
  }
}

/** The sequence's resources (ResourceV2): what the finding's resource is, and the access key used. */
function resourcesV2(recipe: SequenceRecipe, ctx: SampleContext, resource: JsonObject, key: JsonObject): JsonObject[] {
  const common = { accountId: ctx.accountId, region: ctx.region, cloudPartition: 'aws' };
  const accessKey: JsonObject = { ...common, uid: str(key.accessKeyId), resourceType: 'ACCESS_KEY', service: 'iam', data: { accessKey: { principalId: key.principalId, userName: key.userName, userType: 'IAMUser' } } };
  const bucket = (resource.s3BucketDetails as JsonObject[] | undefined)?.[0];
  const instance = resource.instanceDetails as JsonObject | undefined;
  switch (recipe.resource) {
    case 's3': return [{ ...common, uid: str(bucket?.arn), name: str(bucket?.name), resourceType: 'S3_BUCKET', service: 's3', tags: tags({ DataClassification: 'confidential' }) }, accessKey];
    case 'eks': return [{ ...common, uid: str((resource.eksClusterDetails as JsonObject).arn), name: 'prod-eks-1', resourceType: 'EKS_CLUSTER', service: 'eks' }];
    case 'ecs': return [{ ...common, uid: str((resource.ecsClusterDetails as JsonObject).arn), name: 'payments', resourceType: 'ECS_CLUSTER', service: 'ecs' }];
    case 'ec2': return [
      { ...common, uid: `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:autoScalingGroup:${ctx.prng.uuid()}:autoScalingGroupName/web-asg`, name: 'web-asg',
        resourceType: 'AUTOSCALING_AUTO_SCALING_GROUP', service: 'autoscaling', data: { autoscalingAutoScalingGroup: { ec2InstanceUids: [str(instance?.instanceId)] } } },
      { ...common, uid: `arn:aws:ec2:${ctx.region}:${ctx.accountId}:instance/${str(instance?.instanceId)}`, name: str(instance?.instanceId), resourceType: 'EC2_INSTANCE', service: 'ec2' },
    ];
    default: return [accessKey];
  }
}

export function sequenceOf(finding: WireFinding): JsonObject | undefined {
  const detection = finding.service.detection;
  const sequence = isJsonObject(detection) ? detection.sequence : undefined;
  return isJsonObject(sequence) ? sequence : undefined;
}

/**
 * Points the sequence's FINDING signals at findings held in its account and region (`candidates`),
 * each at most once across the sequences of one batch (`used`): a finding of the signal's type
 * first, else one the recipe accepts; a FINDING signal left without one is dropped.
 */
export function bindMembers(finding: WireFinding, recipe: SequenceRecipe, candidates: readonly WireFinding[], used: Set<string>): void {
  const sequence = sequenceOf(finding);
  if (!sequence || !Array.isArray(sequence.signals)) return;
  const pool = candidates.filter((c) => c.accountId === finding.accountId && c.region === finding.region && c.id !== finding.id
    && !c.type.startsWith('AttackSequence:') && !c.service.archived);
  const kept: JsonObject[] = [];
  for (const signal of sequence.signals.filter(isJsonObject)) {
    if (signal.type !== 'FINDING') {
      kept.push(signal);
      continue;
    }
    const member = pool.find((c) => c.type === signal.name && !used.has(c.id)) ?? pool.find((c) => recipe.accepts.test(c.type) && !used.has(c.id));
    if (!member) continue;
    used.add(member.id);
    kept.push(memberSignal(member, signal));
  }
  sequence.signals = kept;
}

/** A FINDING signal as GuardDuty writes it for a member: the member's ARN, type, title, times and severity. */
export function memberSignal(member: WireFinding, base: JsonObject = {}): JsonObject {
  const first = Date.parse(member.service.eventFirstSeen ?? member.createdAt);
  const last = Date.parse(member.service.eventLastSeen ?? member.updatedAt);
  return {
    actorIds: ['actor-1'], endpointIds: ['endpoint-1'], resourceUids: [], signalIndicators: [],
    ...base,
    uid: member.arn, type: 'FINDING', name: member.type, description: member.title ?? member.type,
    createdAt: epochSeconds(Date.parse(member.createdAt)), updatedAt: epochSeconds(Date.parse(member.updatedAt)),
    firstSeenAt: epochSeconds(first), lastSeenAt: epochSeconds(last), severity: member.severity, count: member.service.count,
  };
}

/** Points the FINDING signals of the sequences in a batch at findings held in their account and region. */
export function bindBatch(batch: readonly WireFinding[], held: readonly WireFinding[]): void {
  const used = new Set<string>();
  for (const finding of batch) {
    const recipe = sequenceRecipe(finding.type);
    if (recipe) bindMembers(finding, recipe, held, used);
  }
}
