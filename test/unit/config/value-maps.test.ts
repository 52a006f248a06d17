import { describe, expect, it } from 'vitest';
import { feedbackMap, severityMap } from '../../../src/config/value-maps.js';

const ctx = { cwd: '/', templatesDir: '/t', hostname: 'h' };

describe('aws_gd_severity_map', () => {
  it('applies Band=Name pairs over the defaults, bands in any case, ";" or line breaks between pairs', () => {
    expect(severityMap('critical=Critical\nLow = Informational;', ctx)).toEqual({
      ok: true,
      value: { Low: 'Informational', Medium: 'Medium', High: 'High', Critical: 'Critical' },
    });
  });

  it('rejects unknown bands, empty names, pairs without "=" and repeated bands, all at once', () => {
    const result = severityMap('Severe=High; High=; Medium; low=A; LOW=B', ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.hint?.split('; ')).toHaveLength(4);
  });
});

describe('aws_gd_feedback_map', () => {
  it('applies Resolution=Feedback pairs over the defaults; NONE drops one; names keep their spaces', () => {
    expect(feedbackMap('Not an Issue=NONE; False Positive=not_useful; resolved=USEFUL', ctx)).toEqual({
      ok: true,
      value: { Duplicate: 'NOT_USEFUL', 'False Positive': 'NOT_USEFUL', resolved: 'USEFUL' },
    });
  });

  it('rejects a feedback other than USEFUL, NOT_USEFUL or NONE', () => {
    expect(feedbackMap('Resolved=YES', ctx)).toMatchObject({ ok: false, hint: expect.stringContaining('USEFUL, NOT_USEFUL or NONE') });
  });
});
