import { isAttackSequence } from '../regions/attack-sequence.js';
import type { Finding } from '../regions/finding.js';

/**
 * Runs `sync` over a page of findings, all at once, or (`fold`) the attack sequences first and then
 * the rest: with aws_gd_sequence_members = fold, a member must find its sequence's incident open to
 * fold into it, and a page usually lists the members before the sequence (GuardDuty updates a
 * sequence after the findings it correlates). Results in the order of `findings`.
 */
export async function sequencesFirst<T>(findings: readonly Finding[], fold: boolean, sync: (finding: Finding) => Promise<T>): Promise<T[]> {
  if (!fold) return Promise.all(findings.map(sync));
  const first = findings.map((f) => isAttackSequence(f));
  const sequences = await Promise.all(findings.map((f, i) => (first[i] ? sync(f) : undefined)));
  const rest = await Promise.all(findings.map((f, i) => (first[i] ? undefined : sync(f))));
  return findings.map((_, i) => (first[i] ? sequences[i] : rest[i]) as T);
}
