/**
 * The bound a cycle is measured against: the least time the work could take given the APIs'
 * latency and the configured SOAR concurrency.
 *
 *   bound = La × discovery + max(La × chain, La × lead + Ls × soarCalls ÷ concurrency)
 *
 * - soarCalls: the fewest SOAR calls the API allows for the work (one create per new finding with
 *   note and artifacts inline, one per non-empty data-table row, …; see BENCHMARKS.md), run
 *   `concurrency` at a time.
 * - discovery: AWS calls before any listing (DescribeRegions, then ListDetectors of all regions at once).
 * - lead: AWS calls before the first SOAR write can start (the first ListFindings page and its
 *   GetFindings batch); SOAR work cannot hide them.
 * - chain: AWS calls one region makes one after another (GuardDuty is read one call at a time per
 *   region, regions in parallel): the longest region's. When SOAR work is short (idle) the chain is
 *   the bound; otherwise it overlaps SOAR work and only the lead counts.
 *
 * The "AWS share" reported is bound − Ls × soarCalls ÷ concurrency.
 */
export interface BoundInput {
  soarCalls: number;
  discovery: number;
  lead: number;
  chain: number;
}

export interface Latency {
  awsMs: number;
  soarMs: number;
  concurrency: number;
}

export interface Bound extends BoundInput {
  /** Ls × soarCalls ÷ concurrency. */
  soarShareMs: number;
  /** The rest of the bound: AWS time nothing can overlap. */
  awsShareMs: number;
  ms: number;
}

export function computeBound(input: BoundInput, latency: Latency): Bound {
  const soarShareMs = (latency.soarMs * input.soarCalls) / latency.concurrency;
  const ms = latency.awsMs * input.discovery + Math.max(latency.awsMs * input.chain, latency.awsMs * input.lead + soarShareMs);
  return { ...input, soarShareMs, awsShareMs: ms - soarShareMs, ms };
}

/** ListFindings pages (no empty trailing page; an empty listing is one page) or GetFindings batches of 50. */
export function pagesOf(findings: number): number {
  return Math.max(1, Math.ceil(findings / 50));
}

export function batchesOf(findings: number): number {
  return Math.ceil(findings / 50);
}
