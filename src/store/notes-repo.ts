import type { Db } from './database.js';

/**
 * Notes the daemon has posted, by a key naming what each note is about (e.g. one version of a
 * finding), so a sync path repeated after a crash never posts the same note twice.
 */
export class NotesRepo {
  constructor(private readonly db: Db, private readonly now: () => number) {}

  posted(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM notes_posted WHERE note_key = ?').get(key) !== undefined;
  }

  record(key: string, incidentId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO notes_posted (note_key, incident_id, posted_at) VALUES (?, ?, ?)').run(key, incidentId, this.now());
  }
}
