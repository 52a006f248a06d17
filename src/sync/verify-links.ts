import { errorMessage } from '../core/errors.js';
import type { CaseSystem, IncidentView, OrgInfo } from '../soar/case-system.js';
import type { Store } from '../store/store.js';
import type { Link } from '../store/links-repo.js';
import { orphanLink } from './deleted-incident.js';
import { FIELD } from '../incidents/incident-fields.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * Whether the incidents the links name still exist in SOAR, holding their findings. A write to a
 * deleted incident is healed when it meets SOAR's 404, but a finding that never changes is never
 * written: so the links are also checked, a random sample at start (which also tells a database that
 * does not belong to this org at all) and a batch of open links each cycle, the least recently
 * verified first. One query by incident id per check (`POST /incidents/query`, apart from the cycle's
 * paged queries); a GET confirms each incident it did not return.
 */

/** Random links checked at start: one query; 100 makes a wrong refusal of a database missing 30 % vanishingly rare. */
export const START_SAMPLE = 100;
/** Open links checked per cycle (one query): 1,000 open incidents are all checked within ten cycles. */
export const CYCLE_BATCH = 100;
/**
 * A database is refused when more than half of a sample of at least this many links is missing. An
 * administrator deletes a few incidents (they heal); a database from another SOAR, org or an emptied
 * org misses nearly all; an org restored from an older backup misses those created since it. Past
 * half, recreating them would at least double the org's GuardDuty incidents, from a database that
 * mostly describes another org: better ask. Below 5 links, recreating them all costs little.
 */
const MIN_SAMPLE_TO_REFUSE = 5;

/** Meta: the last check of links against SOAR, for `status`. */
export const VERIFIED_META = 'links_verified';
/** Meta: the SOAR org the database was written for. */
export const ORG_META = 'soar_org';

export interface LinkVerification {
  at: number;
  /** `start`: the random sample before the first cycle; `cycle`: the rolling check of open links. */
  scope: 'start' | 'cycle';
  checked: number;
  missing: number;
  /** The database was refused: most sampled incidents are missing. */
  refused: boolean;
}

/** A state database that belongs to another SOAR or org: `once` and `run` stop with exit 1, naming it and the fix. */
export class ForeignDatabaseError extends Error {
  override readonly name = 'ForeignDatabaseError';
}

export function refuses(checked: number, missing: number): boolean {
  return checked >= MIN_SAMPLE_TO_REFUSE && missing * 2 > checked;
}

/** The links whose incident SOAR does not hold for their finding: one query, then a GET per suspect. */
export async function missingIncidents(soar: CaseSystem, links: readonly Link[]): Promise<Link[]> {
  const named = links.filter((l): l is Link & { incidentId: number } => l.incidentId !== null);
  if (named.length === 0) return [];
  const found = new Map((await soar.incidentsById(named.map((l) => l.incidentId))).map((i) => [i.id, i]));
  const suspects = named.filter((l) => !holds(found.get(l.incidentId), l));
  // Never recreate on the query's word alone (a condition SOAR read differently would look like a
  // deleted org): each suspect is looked up by its id.
  const confirmed = await Promise.all(suspects.map(async (l) => (holds(await soar.getIncident(l.incidentId), l) ? undefined : l)));
  return confirmed.filter((l): l is Link & { incidentId: number } => l !== undefined);
}

/**
 * The incident exists and is this finding's. Under its id another finding's incident means the id
 * was handed out again (an org restored from a backup, a rebuilt test org): the link's is gone. A
 * customised template that sets no finding id cannot tell, and counts as holding it.
 */
function holds(incident: IncidentView | undefined, link: Link): boolean {
  if (!incident) return false;
  const findingId = incident.properties[FIELD.findingId];
  return typeof findingId !== 'string' || findingId === '' || findingId === link.findingId;
}

/** What the start-up check (and `check`) learns of the database against the org it is about to serve. */
export interface DatabaseAssessment {
  /** The org the database was written for, when it names another one. */
  otherOrg: { id: number; name: string } | undefined;
  sample: Link[];
  missing: Link[];
  refused: boolean;
}

export async function assessDatabase(soar: CaseSystem, store: Store, org: OrgInfo): Promise<DatabaseAssessment> {
  const recorded = databaseOrg(store);
  if (recorded && recorded.id !== org.id) return { otherOrg: recorded, sample: [], missing: [], refused: true };
  const sample = store.links.verificationSample(START_SAMPLE);
  const missing = await missingIncidents(soar, sample);
  return { otherOrg: undefined, sample, missing, refused: refuses(sample.length, missing.length) };
}

/** What an operator reads when the database is refused: which database, why, and the two ways out. */
export function refusalMessage(a: DatabaseAssessment, where: { dbPath: string; org: OrgInfo; soarUrl: string }): string {
  const fix =
    `Fix: point aws_gd_db_path at a fresh file for this org (the daemon then rebuilds its links from the incidents the org holds ` +
    `and escalates the rest anew), or restore the org this database belongs to.`;
  if (a.otherOrg) {
    return `The state database ${where.dbPath} was written for SOAR org "${a.otherOrg.name}" (id ${a.otherOrg.id}); this configuration ` +
      `reaches org "${where.org.name}" (id ${where.org.id}) at ${where.soarUrl}. Nothing was escalated. ${fix} To serve the other org, ` +
      `set [resilient] org back to it.`;
  }
  return `The state database ${where.dbPath} does not belong to SOAR org "${where.org.name}" (id ${where.org.id}) at ${where.soarUrl}: ` +
    `${a.missing.length} of ${a.sample.length} incidents it links (a random sample) do not exist there. A database from another SOAR ` +
    'or org, or an org emptied or restored from an older backup, looks like this. Nothing was escalated: recreating every incident ' +
    `would duplicate the other org's work. ${fix} (A few incidents an administrator deleted do not stop the daemon: they are ` +
    'recreated, see aws_gd_deleted_incident.)';
}

/**
 * Before the first cycle: refuses a database written for another org, or whose sampled links mostly
 * name incidents this org does not hold (ForeignDatabaseError); otherwise marks the few missing ones
 * orphaned (the first cycle recreates the open ones, per `aws_gd_deleted_incident`) and records the org.
 */
export async function verifyDatabaseAtStart(deps: SyncDeps, where: { dbPath: string; org: OrgInfo; soarUrl: string }): Promise<void> {
  const { store, clock, logger } = deps;
  const assessment = await assessDatabase(deps.soar, store, where.org);
  const at = clock.now();
  const verification: LinkVerification = { at, scope: 'start', checked: assessment.sample.length, missing: assessment.missing.length, refused: assessment.refused };
  if (assessment.refused) {
    if (!assessment.otherOrg) store.setMeta(VERIFIED_META, JSON.stringify(verification));
    const message = refusalMessage(assessment, where);
    logger.error('The state database does not belong to this SOAR org; refusing to escalate from it', {
      db: where.dbPath, org: where.org.name, otherOrg: assessment.otherOrg?.name, checked: verification.checked, missing: verification.missing,
    });
    throw new ForeignDatabaseError(message);
  }
  store.transaction(() => {
    recordVerification(deps, assessment.sample, assessment.missing, verification);
    store.setMeta(ORG_META, JSON.stringify({ id: where.org.id, name: where.org.name }));
  });
}

/**
 * Each cycle, before the region passes: one query for the open links least recently verified. A
 * missing incident is marked orphaned, so the region pass recreates it in this same cycle (or the
 * finding is forgotten). A batch mostly missing is not healed: that is the start-up check's question,
 * asked again at the next start. Skipped while every open link was verified within half a polling
 * interval (right after the start-up check). A failure is logged and tried again next cycle.
 */
export async function verifyOpenLinks(deps: SyncDeps): Promise<LinkVerification | undefined> {
  const { store, clock, logger } = deps;
  const at = clock.now();
  const links = store.links.unverifiedOpen(at - deps.config.polling.pollingIntervalMinutes * 30_000, CYCLE_BATCH);
  if (links.length === 0) return undefined;
  let missing: Link[];
  try {
    missing = await missingIncidents(deps.soar, links);
  } catch (err) {
    logger.warn('Could not check linked incidents against SOAR; trying again next cycle', { error: errorMessage(err) });
    return undefined;
  }
  const verification: LinkVerification = { at, scope: 'cycle', checked: links.length, missing: missing.length, refused: refuses(links.length, missing.length) };
  if (verification.refused) {
    store.setMeta(VERIFIED_META, JSON.stringify(verification));
    logger.error('Most linked incidents checked no longer exist in SOAR; not recreating them. Restart the daemon: its start-up check says whether the state database belongs to this org', {
      checked: verification.checked, missing: verification.missing,
    });
    return verification;
  }
  store.transaction(() => recordVerification(deps, links, missing, verification));
  return verification;
}

/** The caller holds a transaction. */
function recordVerification(deps: SyncDeps, checked: readonly Link[], missing: readonly Link[], verification: LinkVerification): void {
  const { store, config, logger } = deps;
  const lost = new Set(missing);
  store.links.markVerified(checked.filter((l) => !lost.has(l)).flatMap((l) => (l.incidentId === null ? [] : [l.incidentId])), verification.at);
  const recreate = config.sync.onDeletedIncident === 'recreate';
  for (const link of missing) {
    // Read again: a SOAR function may have healed or changed the link while SOAR was asked (it holds
    // the finding's lock, this check does not); only a link still naming the lost incident is marked.
    const now = store.links.get(link);
    // A finding GuardDuty no longer has: nothing to escalate again.
    if (!now || now.state === 'gone' || now.state === 'orphaned' || now.incidentId === null || now.incidentId !== link.incidentId) continue;
    orphanLink(deps, now, now.incidentId, recreate && now.incidentState === 'open' ? 'open' : 'closed');
  }
  if (checked.length > 0) store.setMeta(VERIFIED_META, JSON.stringify(verification));
  if (missing.length > 0) {
    logger.warn('Linked incidents no longer exist in SOAR', {
      checked: checked.length, missing: missing.length, incidents: missing.slice(0, 20).map((l) => l.incidentId),
      then: recreate ? 'open ones are recreated in this cycle; closed ones when their finding recurs' : 'forgotten (aws_gd_deleted_incident = forget)',
    });
  }
}

export function databaseOrg(store: Store): { id: number; name: string } | undefined {
  const raw = store.getMeta(ORG_META);
  return raw ? (JSON.parse(raw) as { id: number; name: string }) : undefined;
}

export function lastVerification(store: Store): LinkVerification | undefined {
  const raw = store.getMeta(VERIFIED_META);
  return raw ? (JSON.parse(raw) as LinkVerification) : undefined;
}
