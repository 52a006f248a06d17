import { isAttackSequence } from '../findings/attack-sequence.js';
import type { Finding } from '../findings/finding.js';

/**
 * Runs `sync` over a page of findings, all at once, or (`fold`) the attack sequences first and then
 * the rest: with aws_gd_sequence_members = fold, a member must find its sequence's incident open to
 * fold into it, and a page usually lists the members before the sequence (GuardDuty updates a
 * sequence after the findings it correlates). Results in the order of `findings`.
 */
export async function sequencesFirst<T>(findings: readonly Finding[], fold: boolean, sync: (finding: Finding) => Promise<T>): Promise<T[]> {
  if (!fold) return Promise.all(findings.map(sync));
  const results = new Map<Finding, T>();
  const run = async (f: Finding): Promise<void> => {
    results.set(f, await sync(f));
  };
  await Promise.all(findings.filter((f) => isAttackSequence(f)).map(run));
  await Promise.all(findings.filter((f) => !isAttackSequence(f)).map(run));
  return findings.map((f) => results.get(f) as T);
}
