import type { App } from '../app/app.js';
import type { OrgInfo } from '../soar/case-system.js';
import { assessDatabase, refusalMessage } from '../sync/verify-links.js';
import type { CheckOutput } from './check-output.js';
import { explainFailure } from './check-hints.js';

/**
 * Whether the state database belongs to the org `check` just reached: the same sample `run` and
 * `once` take at start (one query), read only. A database they would refuse fails here too; a few
 * incidents deleted in SOAR are a warning, since the next cycle heals them.
 */
export async function checkDatabase(app: App, org: OrgInfo, out: CheckOutput): Promise<void> {
  const name = 'State database';
  const where = { dbPath: app.config.dbPath, org, soarUrl: app.config.soar.baseUrl };
  let assessment;
  try {
    assessment = await assessDatabase(app.soar, app.store, org);
  } catch (err) {
    const { reason, fix } = explainFailure(err, 'soar');
    out({ verdict: 'FAIL', name, detail: `could not check the linked incidents against SOAR: ${reason}`, fix });
    return;
  }
  const { sample, missing } = assessment;
  if (assessment.refused) {
    const message = refusalMessage(assessment, where);
    const at = message.indexOf(' Fix: ');
    out({ verdict: 'FAIL', name, detail: at < 0 ? message : message.slice(0, at), fix: at < 0 ? undefined : message.slice(at + ' Fix: '.length) });
    return;
  }
  if (sample.length === 0) {
    out({ verdict: 'OK', name, detail: `${app.config.dbPath}: no incident linked yet` });
    return;
  }
  if (missing.length > 0) {
    const then = app.config.sync.onDeletedIncident === 'recreate'
      ? 'the next cycle opens a new incident for each open one, with a note naming the deleted one'
      : 'their findings are forgotten (aws_gd_deleted_incident = forget)';
    out({
      verdict: 'WARN', name,
      detail: `${missing.length} of ${sample.length} linked incidents sampled no longer exist in org "${org.name}" (${missing.slice(0, 5).map((l) => l.incidentId).join(', ')}${missing.length > 5 ? ', …' : ''}): ${then}`,
    });
    return;
  }
  out({ verdict: 'OK', name, detail: `${app.config.dbPath}: the ${sample.length} linked incidents sampled all exist in org "${org.name}"` });
}
