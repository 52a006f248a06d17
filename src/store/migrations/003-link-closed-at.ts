/**
 * When SOAR closed a link's incident (epoch ms: SOAR's `end_date`), recorded when the daemon learns of
 * a responder's close. A finding updated after that time is a recurrence, whatever version the link
 * last recorded (the region pass may have applied it to the incident before the close was known).
 * NULL for links whose incident is open, was closed by the daemon itself, or was closed before this
 * column existed: for them any new version of the finding after the close counts as a recurrence.
 */
export const name = 'link closed_at';

export const sql = `
ALTER TABLE links ADD COLUMN closed_at INTEGER;
`;
