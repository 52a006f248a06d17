import { ExternalServiceError } from '../core/errors.js';

/**
 * The follow-up of an incident closed in SOAR, queued with the link marked closed: its finding is
 * read once, newer activity is handled (a recurrence, or a version from before the close added to the
 * incident), then the finding is archived (`aws_gd_archive_on_close`). Payload: `incidentId`,
 * `resolution` (for feedback); `archive: false` when only the activity is to be followed up.
 */
export const ARCHIVE_OP = 'archive';

/** GuardDuty's answer when a member account asks to archive (only the administrator may). */
export function isMemberRefusal(err: unknown): boolean {
  return err instanceof ExternalServiceError && err.status === 400 && /administrator|master account|not owned/i.test(err.message);
}
