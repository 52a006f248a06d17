import { describe, expect, it } from 'vitest';
import { updatedAfterClose } from '../../../src/sync/finding-context.js';

/** SOAR closed the incident at 12:00:00.400 (epoch ms, as its end_date reads). */
const CLOSED_AT = Date.parse('2026-03-01T12:00:00.400Z');

describe('a version of a finding is activity after its incident was closed', () => {
  it('when GuardDuty stamped it after the close', () => {
    expect(updatedAfterClose('2026-03-01T12:00:01.000Z', CLOSED_AT)).toBe(true);
    expect(updatedAfterClose('2026-03-01T12:00:00.401Z', CLOSED_AT)).toBe(true);
  });

  it("when it carries the close's own second, even a stamp earlier than the close (GuardDuty counts whole seconds)", () => {
    expect(updatedAfterClose('2026-03-01T12:00:00Z', CLOSED_AT)).toBe(true);
    expect(updatedAfterClose('2026-03-01T12:00:00.000Z', CLOSED_AT)).toBe(true);
    expect(updatedAfterClose('2026-03-01T12:00:00.400Z', CLOSED_AT)).toBe(true);
  });

  it('not when it is from an earlier second', () => {
    expect(updatedAfterClose('2026-03-01T11:59:59.999Z', CLOSED_AT)).toBe(false);
    expect(updatedAfterClose('2026-03-01T11:50:00Z', CLOSED_AT)).toBe(false);
  });

  it('when its time cannot be read (never archived unseen on a doubt)', () => {
    expect(updatedAfterClose('yesterday', CLOSED_AT)).toBe(true);
  });
});
