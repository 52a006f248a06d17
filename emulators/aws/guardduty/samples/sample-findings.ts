import { createHash } from 'node:crypto';
import { Prng } from '../../../shared/prng.js';
import type { SampleContext } from './sample-finding-parts.js';
import { SAMPLE_FINDING_TYPES, sampleTemplate } from './sample-finding-types.js';
import { findingArn, type WireFinding } from '../../protocol/wire.js';

export { SAMPLE_FINDING_TYPES };

/**
 * Deterministic generator of realistic GuardDuty findings in wire format. Used by the emulator's
 * CreateSampleFindings, its `sampleFindings` option and admin API, and by the benchmark (thousands of
 * findings with distinct ids; generation is a few object literals per finding).
 */
export interface SampleFindingOptions {
  /** How many findings; default one per type. Types are cycled so every type appears. */
  count?: number;
  /** Restrict to these types (each must be in SAMPLE_FINDING_TYPES). */
  types?: readonly string[];
  /** Regions the findings are spread over (default `['us-east-1']`). */
  regions?: readonly string[];
  /** Accounts the findings are spread over (default `['123456789012']`). */
  accounts?: readonly string[];
  seed?: number;
  /** A shared PRNG stream (the emulator's), instead of `seed`: consecutive calls then never repeat ids. */
  prng?: Prng;
  /** "Now", epoch ms; the newest updatedAt is at or before it. */
  now?: number;
  /** updatedAt values are spread over (now − spreadMs, now], at distinct seconds while they fit. Default 24 h. */
  spreadMs?: number;
  /** The detector id of an (account, region); default a stable hash of both. */
  detectorIdFor?: (accountId: string, region: string) => string;
  /** Values forced on every generated finding. */
  overrides?: SampleOverrides;
}

export interface SampleOverrides {
  severity?: number;
  /** ISO string or epoch ms; createdAt is moved back if it would be later. */
  updatedAt?: string | number;
  createdAt?: string | number;
  count?: number;
  archived?: boolean;
  title?: string;
}

const DAY_MS = 86_400_000;

export function generateSampleFindings(options: SampleFindingOptions = {}): WireFinding[] {
  const types = options.types ?? SAMPLE_FINDING_TYPES;
  for (const type of types) {
    if (!sampleTemplate(type)) throw new Error(`unknown sample finding type: ${type}`);
  }
  const prng = options.prng ?? new Prng(options.seed ?? 1);
  const count = options.count ?? types.length;
  const regions = options.regions?.length ? options.regions : ['us-east-1'];
  const accounts = options.accounts?.length ? options.accounts : ['123456789012'];
  const times = spreadTimes(prng, count, options.now ?? Date.now(), options.spreadMs ?? DAY_MS);
  const detectorIdFor = options.detectorIdFor ?? stableDetectorId;
  const findings: WireFinding[] = [];
  for (let i = 0; i < count; i++) {
    const type = types[i % types.length];
    const region = prng.pick(regions);
    const accountId = prng.pick(accounts);
    const updatedAtMs = times[i];
    findings.push(buildFinding(prng, type, accountId, region, detectorIdFor(accountId, region), updatedAtMs, options.overrides));
  }
  return findings;
}

export function buildFinding(
  prng: Prng, type: string, accountId: string, region: string, detectorId: string, updatedAtMs: number, overrides: SampleOverrides = {},
): WireFinding {
  const template = sampleTemplate(type);
  if (!template) throw new Error(`unknown sample finding type: ${type}`);
  const updated = overrides.updatedAt !== undefined ? toMs(overrides.updatedAt) : updatedAtMs;
  const count = overrides.count ?? prng.pick([1, 1, 1, 2, 3, 7, 24]);
  const created = Math.min(updated, overrides.createdAt !== undefined ? toMs(overrides.createdAt) : updated - (count > 1 ? prng.int(60_000, 5 * DAY_MS) : 0));
  const ctx: SampleContext = { prng, accountId, region, updatedAtMs: updated, createdAtMs: created };
  const parts = template.build(ctx);
  const id = prng.hex(32);
  return {
    accountId,
    arn: findingArn(region, accountId, detectorId, id),
    id,
    region,
    partition: 'aws',
    type,
    schemaVersion: '2.0',
    severity: overrides.severity ?? template.severity,
    confidence: template.severity,
    title: overrides.title ?? parts.title,
    description: parts.description,
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(updated).toISOString(),
    resource: parts.resource,
    service: {
      serviceName: 'guardduty',
      detectorId,
      archived: overrides.archived ?? false,
      count,
      eventFirstSeen: new Date(created).toISOString(),
      eventLastSeen: new Date(updated).toISOString(),
      resourceRole: parts.action?.actionType === 'NETWORK_CONNECTION' ? 'ACTOR' : 'TARGET',
      additionalInfo: { value: JSON.stringify({ sample: true }), type: 'default' },
      ...(parts.action ? { action: parts.action } : {}),
      ...parts.service,
    },
  };
}

/**
 * `count` updatedAt values in (now − spread, now], ascending. While they fit, each lands in its own
 * second (GuardDuty's updatedAt has one-second granularity, and tests of cursors want no ties), with
 * random milliseconds inside it.
 */
function spreadTimes(prng: Prng, count: number, now: number, spreadMs: number): number[] {
  const seconds = Math.max(1, Math.floor(spreadMs / 1000));
  const firstSecond = Math.floor(now / 1000) - seconds + 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const slotStart = Math.floor((i * seconds) / count);
    const slotEnd = Math.max(slotStart, Math.floor(((i + 1) * seconds) / count) - 1);
    const second = firstSecond + prng.int(slotStart, slotEnd);
    out.push(Math.min(now, second * 1000 + prng.int(0, 999)));
  }
  return out;
}

function toMs(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

export function stableDetectorId(accountId: string, region: string): string {
  return createHash('md5').update(`${accountId}/${region}`).digest('hex');
}
