import { describe, expect, it } from 'vitest';
import { findingCriteria } from '../../../src/config/finding-criteria.js';

const ctx = { cwd: '/', templatesDir: '/t', hostname: 'h' };
const parse = (json: string) => findingCriteria(json, ctx);
const hintOf = (json: string): string => {
  const result = parse(json);
  if (result.ok) throw new Error('expected a failure');
  return result.hint ?? '';
};

describe('aws_gd_finding_criteria', () => {
  it('maps operators written in any case to the PascalCase Condition shape', () => {
    expect(parse('{"resource.resourceType": {"equals": ["Instance"]}, "type": {"NOTEQUALS": ["Recon:EC2/PortProbeUnprotectedPort"]}, "confidence": {"GreaterThanOrEqual": 5, "lessThan": 9}}')).toEqual({
      ok: true,
      value: {
        'resource.resourceType': { Equals: ['Instance'] },
        type: { NotEquals: ['Recon:EC2/PortProbeUnprotectedPort'] },
        confidence: { GreaterThanOrEqual: 5, LessThan: 9 },
      },
    });
  });

  it('turns an ISO date on a time field into epoch milliseconds', () => {
    expect(parse('{"createdAt": {"greaterThan": "2025-01-01T00:00:00Z"}}')).toEqual({ ok: true, value: { createdAt: { GreaterThan: 1735689600000 } } });
  });

  it('rejects JSON that does not parse or has the wrong shape', () => {
    expect(hintOf('{"severity": ')).toContain('does not parse');
    expect(hintOf('["severity"]')).toContain('object of operators');
    expect(hintOf('{"severity": 7}')).toContain('object of operators');
  });

  it('rejects unknown fields, fields the daemon owns, and fields without an operator', () => {
    expect(hintOf('{"resource.colour": {"equals": ["red"]}}')).toContain('resource.colour is not a ListFindings field');
    expect(hintOf('{"service.archived": {"equals": ["true"]}}')).toContain('always lists unarchived findings');
    expect(hintOf('{"updatedAt": {"lessThan": 1}}')).toContain('aws_gd_lookback_interval');
    expect(hintOf('{"severity": {}}')).toContain('severity has no operator');
  });

  it('rejects deprecated, filter-only and unknown operators, naming the current one', () => {
    expect(hintOf('{"severity": {"gte": 7}}')).toContain('deprecated operator gte is not accepted, use greaterThanOrEqual');
    expect(hintOf('{"type": {"matches": ["Recon*"]}}')).toContain('only valid in GuardDuty filters');
    expect(hintOf('{"type": {"contains": ["Recon"]}}')).toContain('unknown operator contains');
  });

  it('checks value types: string arrays for equality, numbers for comparisons on numeric and time fields', () => {
    expect(hintOf('{"type": {"equals": "Recon"}}')).toContain('array of 1 to 50 strings');
    expect(hintOf('{"severity": {"equals": [8]}}')).toContain('array of 1 to 50 strings');
    expect(hintOf(`{"id": {"equals": ${JSON.stringify(Array.from({ length: 51 }, (_, i) => `f${i}`))}}}`)).toContain('1 to 50');
    expect(hintOf('{"service.action.networkConnectionAction.blocked": {"equals": ["yes"]}}')).toContain('["true"] or ["false"]');
    expect(hintOf('{"type": {"greaterThan": 3}}')).toContain('only to numeric and time fields');
    expect(hintOf('{"severity": {"greaterThan": "7"}}')).toContain('expected a number');
    expect(hintOf('{"createdAt": {"greaterThan": "yesterday"}}')).toContain('ISO 8601');
  });

  it('lists every mistake of the JSON at once', () => {
    expect(hintOf('{"colour": {"equals": ["red"]}, "severity": {"gt": 4}}').split('; ')).toHaveLength(2);
  });
});
