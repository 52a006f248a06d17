import type { FN_KEYS } from './keys.js';
import type { ReadContext, SectionReading } from './read-section.js';

type Fn = SectionReading<typeof FN_KEYS>;

/** The range the SOAR concurrency adapts in: `aws_gd_soar_concurrency_min` to `aws_gd_soar_concurrency`. */
export interface SoarLimitRange {
  min: number;
  max: number;
}

export const SOAR_CONCURRENCY_DEFAULT = 16;
export const SOAR_CONCURRENCY_MIN_DEFAULT = 1;

/** A floor above the ceiling is a problem; equal is how an operator pins a fixed concurrency. */
export function buildSoarLimit(fn: Fn, rc: ReadContext): SoarLimitRange {
  const max = fn.values.aws_gd_soar_concurrency ?? SOAR_CONCURRENCY_DEFAULT;
  const min = fn.values.aws_gd_soar_concurrency_min ?? SOAR_CONCURRENCY_MIN_DEFAULT;
  // A key that failed to parse is reported on its own; comparing its default would only confuse.
  const failed = fn.failed.has('aws_gd_soar_concurrency') || fn.failed.has('aws_gd_soar_concurrency_min');
  if (!failed && min > max) {
    const ceiling = fn.present.has('aws_gd_soar_concurrency') ? String(max) : `${max}, its default`;
    rc.problems.push({
      key: 'fn_aws_guardduty.aws_gd_soar_concurrency_min',
      value: String(min),
      expected: `at most aws_gd_soar_concurrency (${ceiling})`,
      hint: `lower aws_gd_soar_concurrency_min or raise aws_gd_soar_concurrency; set both to ${min} for a fixed concurrency of ${min}`,
    });
  }
  return { min, max };
}
