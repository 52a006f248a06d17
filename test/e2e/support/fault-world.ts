import type { AdminIncident } from '../../../emulators/soar/index.js';
import type { Harness } from '../../helpers/harness.js';

/**
 * The fault test's world: a seeded script of what GuardDuty and the responders do between (and
 * during) daemon runs, and the end state every sync path must converge to.
 */

/** mulberry32: small, fast and deterministic for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ScriptTally {
  created: number;
  recurred: number;
  archivedInGuardDuty: number;
  closedInSoar: number;
  refreshRequested: number;
}

export class FaultScript {
  readonly tally: ScriptTally = { created: 0, recurred: 0, archivedInGuardDuty: 0, closedInSoar: 0, refreshRequested: 0 };
  private readonly refreshed = new Set<number>();

  constructor(private readonly h: Harness, private readonly random: () => number, private readonly regions: string[]) {}

  /** One round of outside changes: new findings, recurrences, archives in GuardDuty, closes and refresh requests in SOAR. */
  step(): void {
    const { h } = this;
    const newOnes = 1 + this.int(4);
    h.aws.generateFindings({ count: newOnes, region: this.pick(this.regions), updatedAt: Date.now() - 1_000 });
    this.tally.created += newOnes;
    const live = h.aws.listFindings({ archived: false });
    for (let i = 0; i < 3 && live.length > 0; i++) {
      h.aws.updateFinding(this.pick(live).id, { recur: 1 + this.int(5) });
      this.tally.recurred += 1;
    }
    // Only findings already escalated are archived or closed: a finding archived before it was ever
    // escalated is (rightly) never escalated, which would blur the "one incident per finding" count.
    const escalated = live.filter((f) => h.incidentFor(f.id) !== undefined);
    if (escalated.length > 0 && this.random() < 0.6) {
      h.aws.archiveFindings([this.pick(escalated).id]);
      this.tally.archivedInGuardDuty += 1;
    }
    const open = h.incidents().filter((i) => i.planStatus === 'A');
    if (open.length > 0 && this.random() < 0.6) {
      h.soar.closeIncident(this.pick(open).id, { resolution: 'Resolved', summary: 'Closed by the fault-test responder.' });
      this.tally.closedInSoar += 1;
    }
    const candidates = open.filter((i) => !this.refreshed.has(i.id));
    if (candidates.length > 0 && this.random() < 0.3) {
      const target = this.pick(candidates);
      this.refreshed.add(target.id);
      h.soar.setProperties(target.id, { aws_guardduty_trigger_refresh: true });
      this.tally.refreshRequested += 1;
    }
  }

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

export interface WorldCounts {
  findings: number;
  archivedFindings: number;
  incidents: number;
  openIncidents: number;
  closedIncidents: number;
  notes: number;
  rows: number;
  artifacts: number;
  /** Each list names what is wrong; all must end empty. */
  problems: {
    findingsWithoutOneIncident: string[];
    closedButNotArchived: string[];
    archivedButNotClosed: string[];
    staleCount: string[];
    duplicateNotes: string[];
    duplicateRows: string[];
    duplicateArtifacts: string[];
    refreshNotReset: string[];
    /** An open incident whose count changed, without a note saying so, or without an overview row for it. */
    changeNotShown: string[];
  };
}

/** The end state, seen from both sides. */
export function inspectWorld(h: Harness): WorldCounts {
  const findings = h.aws.listFindings({});
  const incidents = h.incidents();
  const byFinding = new Map<string, AdminIncident[]>();
  for (const i of incidents) {
    const id = String(i.properties.aws_guardduty_finding_id);
    byFinding.set(id, [...(byFinding.get(id) ?? []), i]);
  }
  const problems: WorldCounts['problems'] = {
    findingsWithoutOneIncident: [], closedButNotArchived: [], archivedButNotClosed: [], staleCount: [],
    duplicateNotes: [], duplicateRows: [], duplicateArtifacts: [], refreshNotReset: [], changeNotShown: [],
  };
  for (const f of findings) {
    const linked = byFinding.get(f.id) ?? [];
    if (linked.length !== 1) problems.findingsWithoutOneIncident.push(`${f.id}: ${linked.length} incidents`);
    const incident = linked[0];
    if (!incident) continue;
    if (incident.planStatus === 'C' && !f.service.archived) problems.closedButNotArchived.push(`${f.id} (incident ${incident.id})`);
    if (f.service.archived && (incident.planStatus !== 'C' || incident.properties.aws_guardduty_archived !== 'True')) {
      problems.archivedButNotClosed.push(`${f.id} (incident ${incident.id}, ${incident.planStatus}, archived field ${String(incident.properties.aws_guardduty_archived)})`);
    }
    if (incident.properties.aws_guardduty_count !== String(f.service.count)) {
      problems.staleCount.push(`${f.id} (incident ${incident.id}): count ${String(incident.properties.aws_guardduty_count)} on the incident, ${f.service.count} in GuardDuty`);
    }
  }
  for (const i of incidents) {
    problems.duplicateNotes.push(...duplicates(i.notes.map((n) => n.text)).map((d) => `incident ${i.id}: ${d.slice(0, 120)}`));
    for (const [table, rows] of Object.entries(i.tables)) {
      const contents = rows.map((r) => JSON.stringify(Object.entries(r.cells).filter(([k]) => k !== 'query_execution_date').sort()));
      problems.duplicateRows.push(...duplicates(contents).map(() => `incident ${i.id}: ${table}`));
    }
    problems.duplicateArtifacts.push(...duplicates(i.artifacts.map((a) => `${a.type} ${a.value}`)).map((d) => `incident ${i.id}: ${d}`));
    if (i.properties.aws_guardduty_trigger_refresh === true) problems.refreshNotReset.push(`incident ${i.id}`);
    const overview = i.tables.gd_finding_overview ?? [];
    const count = String(i.properties.aws_guardduty_count);
    if (i.planStatus === 'A' && overview.length > 0 && overview[0]?.cells.count !== count) {
      if (!i.notes.some((n) => n.text.includes('AWS GuardDuty Count:') && n.text.includes(`→ ${count}`))) {
        problems.changeNotShown.push(`incident ${i.id}: no note names count ${count}`);
      }
      if (overview[overview.length - 1]?.cells.count !== count) problems.changeNotShown.push(`incident ${i.id}: no overview row for count ${count}`);
    }
  }
  const sum = (f: (i: AdminIncident) => number): number => incidents.reduce((n, i) => n + f(i), 0);
  return {
    findings: findings.length,
    archivedFindings: findings.filter((f) => f.service.archived).length,
    incidents: incidents.length,
    openIncidents: incidents.filter((i) => i.planStatus === 'A').length,
    closedIncidents: incidents.filter((i) => i.planStatus === 'C').length,
    notes: sum((i) => i.notes.length),
    rows: sum((i) => Object.values(i.tables).reduce((n, rows) => n + rows.length, 0)),
    artifacts: sum((i) => i.artifacts.length),
    problems,
  };
}

export function problemCount(counts: WorldCounts): number {
  return Object.values(counts.problems).reduce((n, list) => n + list.length, 0);
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const v of values) {
    if (seen.has(v)) dups.push(v);
    seen.add(v);
  }
  return dups;
}

/** For a failure report: what the incidents named in the problems hold. */
export function describeProblems(h: Harness, counts: WorldCounts, linkOf: (incidentId: number) => string, limit = 4): string {
  const ids = new Set<number>();
  for (const list of Object.values(counts.problems)) {
    for (const line of list) {
      const match = /incident (\d+)/.exec(line);
      if (match) ids.add(Number(match[1]));
    }
  }
  return [...ids].slice(0, limit).map((id) => {
    const i = h.soar.getIncident(id);
    if (!i) return `incident ${id}: missing`;
    const overview = (i.tables.gd_finding_overview ?? []).map((r) => r.cells.count).join(',');
    const notes = i.notes.slice(1).map((n) => `    - ${n.text.slice(0, 160)}`).join('\n');
    const finding = h.aws.getFinding(String(i.properties.aws_guardduty_finding_id));
    return `  incident ${id} (${i.planStatus}, count ${String(i.properties.aws_guardduty_count)}, overview counts ${overview}; ` +
      `finding archived ${String(finding?.service.archived)}, count ${String(finding?.service.count)}; link ${linkOf(id)}):\n${notes}`;
  }).join('\n');
}
