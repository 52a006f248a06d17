import type { Semaphore } from '../util/concurrency.js';
import type { CaseSystem, IncidentQuery, IncidentView } from './case-system.js';

/**
 * A CaseSystem whose every call waits for a slot of one shared semaphore: `aws_gd_soar_concurrency`
 * bounds the parallel SOAR requests of all regions and findings together (SOAR is shared by everyone).
 */
export function limitCaseSystem(inner: CaseSystem, slots: Semaphore): CaseSystem {
  const limited = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> => slots.run(() => fn(...args));
  return {
    connect: limited(() => inner.connect()),
    // A lost create's lookup is the inner client's own query, inside the create's slot: creates waiting
    // on lookups never wait for slots they hold themselves.
    createIncident: limited((payload, lookup) => inner.createIncident(payload, lookup)),
    getIncident: limited((id) => inner.getIncident(id)),
    patchIncident: limited((id, changes) => inner.patchIncident(id, changes)),
    queryIncidents: (query: IncidentQuery) => limitPages(inner.queryIncidents(query), slots),
    incidentsById: limited((ids) => inner.incidentsById(ids)),
    addNote: limited((id, note) => inner.addNote(id, note)),
    listNotes: limited((id) => inner.listNotes(id)),
    addArtifact: limited((id, artifact) => inner.addArtifact(id, artifact)),
    listArtifacts: limited((id) => inner.listArtifacts(id)),
    addTableRow: limited((id, table, cells) => inner.addTableRow(id, table, cells)),
    listTableRows: limited((id, table) => inner.listTableRows(id, table)),
    updateTableRow: limited((id, table, rowId, cells) => inner.updateTableRow(id, table, rowId, cells)),
    readSchema: limited(() => inner.readSchema()),
    createIncidentField: limited((field) => inner.createIncidentField(field)),
    createDataTable: limited((table) => inner.createDataTable(table)),
    createDataTableColumn: limited((table, column) => inner.createDataTableColumn(table, column)),
    createArtifactType: limited((type) => inner.createArtifactType(type)),
  };
}

async function* limitPages(pages: AsyncIterable<IncidentView[]>, slots: Semaphore): AsyncGenerator<IncidentView[]> {
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await slots.run(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
