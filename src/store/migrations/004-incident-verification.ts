/**
 * What the daemon knows about the incidents its links name:
 * - `verified_at`: when the link's incident was last found in SOAR holding its finding (start-up
 *   sample, or the rolling check of open links), so each cycle checks the least recently verified;
 * - `deleted_incident_id`: the incident SOAR no longer holds (deleted, or lost to an org restore),
 *   kept after the link is recreated or forgotten, for `status` and the new incident's note.
 */
export const name = 'incident verification';

export const sql = `
ALTER TABLE links ADD COLUMN verified_at INTEGER;
ALTER TABLE links ADD COLUMN deleted_incident_id INTEGER;
CREATE INDEX links_by_verification ON links (incident_state, verified_at);
`;
