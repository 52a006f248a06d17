import type { Condition as SdkCondition, Finding as SdkFinding } from '@aws-sdk/client-guardduty';
import { cleanFinding } from '../findings/clean-finding.js';
import type { Criteria } from '../findings/criteria.js';
import type { Finding } from '../findings/finding.js';

/** Our terms ↔ the GuardDuty SDK's shapes: pure conversions for `guardduty-client.ts`. */

/** Our Criteria → the SDK's Criterion, current operators only, absent members left out. */
export function toSdkCriterion(criteria: Criteria): Record<string, SdkCondition> {
  const out: Record<string, SdkCondition> = {};
  for (const [field, c] of Object.entries(criteria)) {
    const condition: SdkCondition = {};
    if (c.Equals !== undefined) condition.Equals = [...c.Equals];
    if (c.NotEquals !== undefined) condition.NotEquals = [...c.NotEquals];
    if (c.GreaterThan !== undefined) condition.GreaterThan = c.GreaterThan;
    if (c.GreaterThanOrEqual !== undefined) condition.GreaterThanOrEqual = c.GreaterThanOrEqual;
    if (c.LessThan !== undefined) condition.LessThan = c.LessThan;
    if (c.LessThanOrEqual !== undefined) condition.LessThanOrEqual = c.LessThanOrEqual;
    out[field] = condition;
  }
  return out;
}

/**
 * The SDK's finding as plain JSON: Date members (timestamp-typed) become ISO strings, the rest is kept,
 * cleaned once here for SOAR (control characters, numeric strings: `cleanFinding`).
 */
export function toFinding(finding: SdkFinding): Finding {
  return cleanFinding(toPlain(finding) as Finding);
}

/** SDK output as plain JSON: Date members become ISO text, undefined members are left out. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = toPlain(v);
    return out;
  }
  return value;
}
