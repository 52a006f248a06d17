import type { Condition as SdkCondition } from '@aws-sdk/client-guardduty';
import type { Criteria } from './findings-source.js';

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
