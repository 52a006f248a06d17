import { openDatabase, type Db } from './database.js';
import { CoverageRepo } from './coverage-repo.js';
import { CursorsRepo } from './cursors-repo.js';
import { DetectorsRepo } from './detectors-repo.js';
import { FingerprintsRepo } from './fingerprints-repo.js';
import { InvocationsRepo } from './invocations-repo.js';
import { LinksRepo } from './links-repo.js';
import { LockRepo } from './lock-repo.js';
import { NotesRepo } from './notes-repo.js';
import { PendingOpsRepo } from './pending-ops-repo.js';
import { ScansRepo } from './scans-repo.js';
import { SuppressionsRepo } from './suppressions-repo.js';
import { SequenceMembersRepo } from './sequence-members-repo.js';

/** The daemon's durable state in one SQLite file (better-sqlite3, WAL). */
export class Store {
  readonly links: LinksRepo;
  readonly cursors: CursorsRepo;
  readonly detectors: DetectorsRepo;
  readonly fingerprints: FingerprintsRepo;
  readonly ops: PendingOpsRepo;
  readonly lock: LockRepo;
  readonly notes: NotesRepo;
  readonly invocations: InvocationsRepo;
  readonly scans: ScansRepo;
  readonly suppressions: SuppressionsRepo;
  readonly coverage: CoverageRepo;
  readonly sequences: SequenceMembersRepo;

  private constructor(readonly db: Db, now: () => number) {
    this.links = new LinksRepo(db, now);
    this.cursors = new CursorsRepo(db, now);
    this.detectors = new DetectorsRepo(db);
    this.fingerprints = new FingerprintsRepo(db);
    this.ops = new PendingOpsRepo(db, now);
    this.lock = new LockRepo(db, now);
    this.notes = new NotesRepo(db, now);
    this.invocations = new InvocationsRepo(db, now);
    this.scans = new ScansRepo(db, now);
    this.suppressions = new SuppressionsRepo(db, now);
    this.coverage = new CoverageRepo(db);
    this.sequences = new SequenceMembersRepo(db, now);
  }

  static open(file: string, now: () => number, options: { readonly?: boolean } = {}): Store {
    return new Store(openDatabase(file, options), now);
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Allocates the next cycle number (durable, so `seen_cycle` comparisons survive restarts). */
  nextCycle(): number {
    const next = Number(this.getMeta('cycle') ?? '0') + 1;
    this.setMeta('cycle', String(next));
    return next;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
