import { IncidentGoneError } from '../core/errors.js';
import type { SyncOutcome } from '../health/metrics.js';
import { findingKeyString } from '../findings/finding-key.js';
import type { Link } from '../store/links-repo.js';
import { addNoteOnce } from './durable-note.js';
import { clearContentMark } from './incident-content.js';
import type { SyncDeps } from './sync-deps.js';

/**
 * GetFindings no longer returns a linked finding (GuardDuty's retention ended, or the detector was
 * deleted): one note says so, the link is marked gone, and the incident is left as responders have it.
 */
export async function markGone(deps: SyncDeps, link: Link): Promise<SyncOutcome> {
  const incidentId = link.incidentId;
  if (incidentId === null) {
    deps.store.links.setState(link, 'gone');
    return 'skipped';
  }
  try {
    await addNoteOnce(deps, incidentId, `gone:${findingKeyString(link)}`, {
      format: 'text',
      content:
        `GuardDuty no longer returns finding ${link.findingId} (detector ${link.detectorId}, ${link.region}): ` +
        'its retention period ended or the detector was deleted. guardduty-soar will not update this incident again; ' +
        'it stays as it is.',
    });
  } catch (err) {
    if (!(err instanceof IncidentGoneError) || err.incidentId !== incidentId) throw err;
    // Its incident is gone from SOAR too: nobody is left to tell, and nothing to recreate.
    deps.logger.warn('Linked finding no longer exists in GuardDuty, and its incident no longer exists in SOAR', {
      findingId: link.findingId, deletedIncidentId: incidentId, region: link.region,
    });
  }
  deps.store.transaction(() => {
    deps.store.links.setState(link, 'gone');
    // The daemon writes nothing more to this incident.
    clearContentMark(deps, incidentId);
  });
  deps.logger.info('Linked finding no longer exists in GuardDuty', { findingId: link.findingId, incidentId, region: link.region });
  return 'gone';
}
