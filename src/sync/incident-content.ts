import { rowFingerprint, newRowsSince } from '../datatables/fingerprint.js';
import type { TableRow } from '../datatables/map-rows.js';
import type { ArtifactInput, CaseSystem } from '../soar/case-system.js';
import { artifactKey } from '../store/fingerprints-repo.js';
import type { SyncDeps } from './sync-deps.js';

export const QUERY_EXECUTION_DATE = 'query_execution_date';

/**
 * Marks an existing incident to which rows or artifacts are being added. Each is recorded
 * only after SOAR confirms it, so one whose answer was lost (or whose process was killed) is written
 * but unknown: whoever finds the mark reads back what SOAR holds before adding anything.
 */
export const CONTENT_OP = 'content';

/** `tables`: the data tables about to be written, the ones to read back if the writes are cut short. */
export function markContentWrites(deps: SyncDeps, incidentId: number, tables: readonly string[]): void {
  deps.store.ops.enqueue(CONTENT_OP, String(incidentId), { tables: [...new Set(tables)] });
}

export function contentInterrupted(deps: SyncDeps, incidentId: number): boolean {
  return deps.store.ops.get(CONTENT_OP, String(incidentId)) !== undefined;
}

/** The incident's rows and artifacts are known again (written and recorded, or read back). */
export function clearContentMark(deps: SyncDeps, incidentId: number): void {
  deps.store.ops.complete(CONTENT_OP, String(incidentId));
}

/**
 * Writes the data-table rows whose content is new for the incident (SPEC §5: a table gets a row only
 * when its content differs from the last rows written), one call per row. Progress is recorded after
 * every row, so a crash in the middle of a table resumes with the rows still missing.
 * Returns the number of rows written per table.
 */
export async function writeRows(deps: SyncDeps, incidentId: number, rows: readonly TableRow[]): Promise<Record<string, number>> {
  const { store, soar, clock } = deps;
  const written: Record<string, number> = {};
  const stamp = new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const [table, current] of groupByTable(rows)) {
    const previous = store.fingerprints.rows(incidentId, table);
    const missing = newRowsSince(previous, current);
    if (missing.length === 0) continue;
    const done = current.map(rowFingerprint).filter((fp) => previous.includes(fp));
    for (const row of missing) {
      await soar.addTableRow(incidentId, table, { ...row.cells, [QUERY_EXECUTION_DATE]: stamp });
      done.push(rowFingerprint(row));
      store.fingerprints.setRows(incidentId, table, done);
      written[table] = (written[table] ?? 0) + 1;
    }
  }
  return written;
}

/** Adds the artifacts the incident does not have yet, recording each as soon as it exists. */
export async function addNewArtifacts(deps: SyncDeps, incidentId: number, artifacts: readonly ArtifactInput[]): Promise<ArtifactInput[]> {
  const added = newArtifacts(deps, incidentId, artifacts);
  for (const artifact of added) {
    await deps.soar.addArtifact(incidentId, artifact);
    deps.store.fingerprints.addArtifacts(incidentId, [artifact]);
  }
  return added;
}

/** The artifacts the store does not know on the incident, each (type, value) once. */
function newArtifacts(deps: SyncDeps, incidentId: number, artifacts: readonly ArtifactInput[]): ArtifactInput[] {
  const known = deps.store.fingerprints.artifacts(incidentId);
  const fresh: ArtifactInput[] = [];
  for (const artifact of artifacts) {
    const key = artifactKey(artifact.type, artifact.value);
    if (known.has(key)) continue;
    known.add(key);
    fresh.push(artifact);
  }
  return fresh;
}

/**
 * What `writeRows` and `addNewArtifacts` are about to add to an incident, computed before any write:
 * rows per table and artifacts. An update names them in its note, which is recorded before it starts.
 */
export function plannedContent(
  deps: SyncDeps, incidentId: number, rows: readonly TableRow[], artifacts: readonly ArtifactInput[],
): { rows: Record<string, number>; artifacts: ArtifactInput[] } {
  const { store } = deps;
  const rowCounts: Record<string, number> = {};
  for (const [table, current] of groupByTable(rows)) {
    const missing = newRowsSince(store.fingerprints.rows(incidentId, table), current).length;
    if (missing > 0) rowCounts[table] = missing;
  }
  return { rows: rowCounts, artifacts: newArtifacts(deps, incidentId, artifacts) };
}

/**
 * Rebuilds what the store knows of an incident's rows and artifacts from what SOAR holds. Used when
 * that knowledge may be incomplete: after a crash between a SOAR write and its record, and for links
 * rebuilt from SOAR into an empty database. Reads only the tables about to be written.
 */
export async function readBack(deps: SyncDeps, incidentId: number, tables: Iterable<string>): Promise<void> {
  const { store, soar } = deps;
  const artifacts = await soar.listArtifacts(incidentId);
  const rowsByTable = new Map<string, string[]>();
  for (const table of new Set(tables)) rowsByTable.set(table, await heldRowFingerprints(soar, incidentId, table));
  store.transaction(() => {
    store.fingerprints.forget(incidentId);
    store.fingerprints.addArtifacts(incidentId, artifacts);
    for (const [table, fps] of rowsByTable) if (fps.length > 0) store.fingerprints.setRows(incidentId, table, fps);
  });
}

/** The fingerprints of the rows SOAR holds in one of an incident's tables, comparable with the ones the store records. */
export async function heldRowFingerprints(soar: CaseSystem, incidentId: number, table: string): Promise<string[]> {
  return (await soar.listTableRows(incidentId, table)).map((r) => rowFingerprint({ table, cells: withoutExecutionDate(r.cells) }));
}

/** The (type, value) pairs of the artifacts a rendered create payload carries inline. */
export function payloadArtifacts(payload: Record<string, unknown>): { type: string; value: string }[] {
  const items = Array.isArray(payload.artifacts) ? (payload.artifacts as unknown[]) : [];
  const out: { type: string; value: string }[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { type, value } = item as { type?: unknown; value?: unknown };
    const name = typeof type === 'string' ? type : typeof type === 'object' && type !== null ? (type as { name?: unknown }).name : undefined;
    if (typeof name === 'string' && typeof value === 'string') out.push({ type: name, value });
  }
  return out;
}

export function groupByTable(rows: readonly TableRow[]): Map<string, TableRow[]> {
  const out = new Map<string, TableRow[]>();
  for (const row of rows) out.set(row.table, [...(out.get(row.table) ?? []), row]);
  return out;
}

function withoutExecutionDate(cells: Record<string, string>): Record<string, string> {
  const { [QUERY_EXECUTION_DATE]: _ignored, ...rest } = cells;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== '' && v !== undefined && v !== null));
}
