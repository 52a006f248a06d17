import type { CycleDeps } from '../poller/run-cycle.js';
import type { FindingsSource } from '../regions/findings-source.js';
import { RegionDiscovery } from '../regions/region-discovery.js';
import type { SchemaView } from '../soar/case-system.js';
import { KeyedLock } from '../util/keyed-lock.js';
import type { App } from './app.js';

type RequiredField = { name: string; label: string; custom: boolean };

/**
 * Resolves the account behind each AWS source (STS GetCallerIdentity) and builds the cycle's
 * dependencies. Network: one STS call per source.
 */
export async function prepareCycleDeps(app: App, schema?: SchemaView): Promise<CycleDeps> {
  const { config, store, clock, logger, metrics, soar, templates } = app;
  app.soarLimit.recordIn(store);
  const sources = new Map<string, FindingsSource>();
  const discoveries: RegionDiscovery[] = [];
  for (const spec of app.aws) {
    const identity = await spec.source.identity();
    if (sources.has(identity.account)) {
      logger.warn('Two credential sets resolve to the same AWS account; polling it once', { account: identity.account, credentials: spec.label });
      continue;
    }
    logger.info('AWS identity', { account: identity.account, arn: identity.arn, credentials: spec.label });
    sources.set(identity.account, spec.source);
    discoveries.push(
      new RegionDiscovery({
        source: spec.source, account: identity.account, regions: config.aws.regions, masterRegion: config.aws.masterRegion,
        intervalMs: config.polling.regionsIntervalMinutes * 60_000, store, clock, logger: logger.child({ account: identity.account }),
      }),
    );
  }
  const closeFields = (view: SchemaView): RequiredField[] => view.incidentFields.filter((f) => f.required === 'close');
  let requiredOnClose: Promise<RequiredField[]> | undefined = schema ? Promise.resolve(closeFields(schema)) : undefined;
  return {
    soar, store, templates, clock, logger, metrics, soarLimit: app.soarLimit.limit,
    config: { severityMap: config.severityMap, sync: config.sync, polling: config.polling },
    // Read once per process: the org's close requirements change rarely, and a stale answer only
    // means SOAR's own 400 is reported instead of our friendlier message.
    requiredOnClose: () => {
      requiredOnClose ??= app.soarSchema.readSchema().then(closeFields);
      requiredOnClose.catch(() => {
        requiredOnClose = undefined;
      });
      return requiredOnClose;
    },
    discoveries, sources,
    locks: new KeyedLock(),
    regionConcurrency: 4,
    // Two per SOAR slot at the ceiling: each finding makes one call at a time, and does local work between two.
    findingsInFlight: 2 * config.soarConcurrency,
  };
}
