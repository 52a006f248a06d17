import type { AdminIncident } from '../emulators/soar/index.js';
import { batchesOf, computeBound, pagesOf, type Latency } from './bound.js';
import { readCalls } from './calls.js';
import type { Check, ScenarioResult } from './results.js';
import { ranCleanly, scenario } from './scenarios.js';
import type { World } from './world.js';

const FINDING_ID = 'aws_guardduty_finding_id';

/**
 * Churn, after the burst: 10% of the findings updated (a recurrence: count + 1, updatedAt now), 5%
 * archived in GuardDuty, 5% of the incidents closed in SOAR (disjoint sets, spread over the regions),
 * then one cycle. Minimum SOAR calls: per update a PATCH, the rows whose content changed and a note;
 * per archived finding the PATCH of aws_guardduty_archived and the close; per closed incident a note
 * (the ArchiveFindings call is AWS's); and the two queries.
 */
export async function churn(world: World, byRegion: Map<string, string[]>, latency: Latency): Promise<ScenarioResult> {
  const before = incidentsByFinding(world);
  const sets = pick(byRegion);
  for (const id of sets.updated) world.aws.updateFinding(id, { recur: 1 });
  world.aws.archiveFindings(sets.archived);
  for (const id of sets.closed) {
    const incident = before.get(id);
    if (incident) world.soar.closeIncident(incident.id, { resolution: 'Resolved', summary: 'Closed by the benchmark.' });
  }
  const run = await world.once();
  const calls = readCalls(world.emulators);
  const after = incidentsByFinding(world);

  const rowsOf = (i: AdminIncident | undefined): number => Object.values(i?.tables ?? {}).reduce((n, rows) => n + rows.length, 0);
  const added = (id: string): number => rowsOf(after.get(id)) - rowsOf(before.get(id));
  const updatedSet = new Set(sets.updated);
  const rowsAdded = sets.updated.reduce((n, id) => n + added(id), 0);
  const rowsElsewhere = [...after.keys()].filter((id) => !updatedSet.has(id)).reduce((n, id) => n + added(id), 0);
  const missed = {
    updated: sets.updated.filter((id) => {
      const inc = after.get(id);
      const finding = world.aws.getFinding(id);
      return !inc || !finding || String(inc.properties.aws_guardduty_count) !== String(finding.service.count) || inc.planStatus !== 'A'
        || inc.notes.length <= (before.get(id)?.notes.length ?? 0) || added(id) < 1;
    }).length,
    archived: sets.archived.filter((id) => after.get(id)?.planStatus !== 'C' || after.get(id)?.properties.aws_guardduty_archived !== 'True').length,
    closed: sets.closed.filter((id) => world.aws.getFinding(id)?.service.archived !== true || (after.get(id)?.notes.length ?? 0) <= (before.get(id)?.notes.length ?? 0)).length,
    untouched: [...after.keys()].filter((id) => !sets.changed.has(id) && changed(before.get(id), after.get(id))).length,
  };
  const changes = sets.updated.length + sets.archived.length + sets.closed.length;
  const soarCalls = 2 * sets.updated.length + rowsAdded + 2 * sets.archived.length + sets.closed.length + 2;
  const share = (ids: string[], region: string): number => ids.filter((id) => world.aws.getFinding(id)?.region === region).length;
  const listPages = world.regions.map((r) => pagesOf(share(sets.updated, r)));
  const chain = Math.max(...world.regions.map((r, i) => (listPages[i] ?? 1) + batchesOf(byRegion.get(r)?.length ?? 0)))
    // Per batch of 50 closed incidents' findings: the feedback their resolution maps to, then the archive.
    + world.regions.reduce((n, r) => n + 2 * batchesOf(share(sets.closed, r)), 0);
  const bound = computeBound({ soarCalls, discovery: 2, lead: Math.min(...listPages) + 1, chain }, latency);
  const complete = Object.values(missed).every((n) => n === 0);
  const checks: Check[] = [
    ranCleanly(run),
    {
      name: 'churn: every change applied', kind: 'applied', target: `${sets.updated.length} updated, ${sets.archived.length} archived in GuardDuty → closed, ${sets.closed.length} closed in SOAR → archived, others untouched`,
      measured: complete ? 'all' : `missed ${JSON.stringify(missed)}`, ok: complete,
    },
  ];
  return scenario('churn', changes, run, calls, bound, checks, {
    updated: sets.updated.length, archivedInGuardDuty: sets.archived.length, closedInSoar: sets.closed.length,
    rowsAdded, rowsElsewhere, soarMinimum: soarCalls, missed,
  });
}

/** Every 20 findings: 2 updated, 1 archived in GuardDuty, 1 closed in SOAR, taken in each region. */
function pick(byRegion: Map<string, string[]>): { updated: string[]; archived: string[]; closed: string[]; changed: Set<string> } {
  const updated: string[] = [];
  const archived: string[] = [];
  const closed: string[] = [];
  for (const ids of byRegion.values()) {
    ids.forEach((id, i) => {
      const slot = i % 20;
      if (slot < 2) updated.push(id);
      else if (slot === 2) archived.push(id);
      else if (slot === 3) closed.push(id);
    });
  }
  return { updated, archived, closed, changed: new Set([...updated, ...archived, ...closed]) };
}

function incidentsByFinding(world: World): Map<string, AdminIncident> {
  return new Map(world.soar.listIncidents().map((i) => [String(i.properties[FINDING_ID]), i]));
}

function changed(a: AdminIncident | undefined, b: AdminIncident | undefined): boolean {
  return !a || !b || a.planStatus !== b.planStatus || a.notes.length !== b.notes.length || a.vers !== b.vers
    || JSON.stringify(a.tables) !== JSON.stringify(b.tables);
}
