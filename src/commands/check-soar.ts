import type { ProxySettings } from '../config/app-config.js';
import type { App } from '../app/app.js';
import type { OrgInfo } from '../soar/case-system.js';
import type { CheckLine, CheckOutput } from './check-output.js';
import { explainFailure, type FailureClass } from './check-hints.js';
import { checkFunctions } from './check-functions.js';
import { findSchemaGaps } from '../setup/schema-plan.js';
import { describeProxy, type RouteCounts } from '../util/proxy-routing.js';

/** Which of the four connection checks a failure of the first SOAR call belongs to. */
const STAGE: Partial<Record<FailureClass, Stage>> = {
  tls: 'tls',
  credentials: 'credentials',
  permissions: 'credentials',
  org: 'org',
};
type Stage = 'reachable' | 'tls' | 'credentials' | 'org';
const STAGES: readonly Stage[] = ['reachable', 'tls', 'credentials', 'org'];
/** The stages before `stage`, all of which passed when it is the one that failed (or, for org, succeeded). */
const stagesBefore = (stage: Stage): Exclude<Stage, 'org'>[] => STAGES.slice(0, STAGES.indexOf(stage)) as Exclude<Stage, 'org'>[];

/**
 * The SOAR checks. One call (the session: `GET /rest/session` with an API key, a login with a
 * password) answers four questions in order: is SOAR reachable, is its certificate trusted, are the
 * credentials accepted, is the org there. A failure is reported at the first stage it belongs to;
 * the stages before it passed, the ones after it were not reached. Then the schema, by kind.
 */
export async function checkSoar(app: App, out: CheckOutput): Promise<OrgInfo | undefined> {
  const { config } = app;
  const url = new URL(config.soar.baseUrl);
  const names: Record<Stage, string> = { reachable: 'SOAR reachable', tls: 'SOAR TLS', credentials: 'SOAR credentials', org: 'SOAR org' };
  const before = app.soarClient.routed;
  const route = (): string => routeNote(config.soar.proxy, before, app.soarClient.routed, url.hostname);
  const passed: Record<Exclude<Stage, 'org'>, () => CheckLine> = {
    reachable: () => ({ verdict: 'OK', name: names.reachable, detail: `${config.soar.baseUrl}${config.soar.resourcePrefix} answered${route()}` }),
    tls: () => tlsLine(app, url, names.tls),
    credentials: () => ({
      verdict: 'OK', name: names.credentials,
      detail: config.soar.auth.kind === 'apikey' ? `API key ${config.soar.auth.id} accepted` : `login of ${config.soar.auth.email} accepted`,
    }),
  };
  let org: { id: number; name: string };
  try {
    org = await app.soarClient.session.connect();
  } catch (err) {
    const { class: cls, reason, fix } = explainFailure(err, 'soar');
    const failedAt = STAGE[cls] ?? 'reachable';
    for (const stage of stagesBefore(failedAt)) out(passed[stage]());
    out({ verdict: 'FAIL', name: names[failedAt], detail: `${reason}${failedAt === 'reachable' ? route() : ''}`, fix });
    return undefined;
  }
  for (const stage of stagesBefore('org')) out(passed[stage]());
  out({ verdict: 'OK', name: names.org, detail: `"${org.name}" (id ${org.id})` });
  await checkSchema(app, out);
  await checkFunctions(app, org, out);
  return org;
}

/**
 * Which way the session request went, said only from what the routing agent did: through the proxy,
 * or around it because NO_PROXY names the host. Nothing when no proxy is configured.
 */
export function routeNote(proxy: ProxySettings | undefined, before: RouteCounts, after: RouteCounts, host: string): string {
  if (!proxy) return '';
  const where = `${describeProxy(proxy.url) ?? 'the proxy'}${proxy.source ? `, from ${proxy.source}` : ''}`;
  if (after.proxy > before.proxy) return ` (through the proxy ${where})`;
  if (after.direct > before.direct) return ` (directly: NO_PROXY excludes ${host} from the proxy ${where})`;
  return '';
}

function tlsLine(app: App, url: URL, name: string): CheckLine {
  const { config, soarClient } = app;
  if (url.protocol === 'http:') {
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return loopback
      ? { verdict: 'OK', name, detail: 'not used (plain HTTP to this machine)' }
      : { verdict: 'WARN', name, detail: `not used: ${url.host} is reached over plain HTTP, API key included`, fix: 'Write host as https://… (the default scheme).' };
  }
  if (soarClient.tlsVerificationDisabled) {
    return {
      verdict: 'WARN', name, detail: 'certificate NOT verified (cafile = false): anyone on the network path can read the API key',
      fix: 'Set [resilient] cafile to the PEM bundle of the CA that signed the SOAR certificate.',
    };
  }
  return { verdict: 'OK', name, detail: `certificate verified against ${config.soar.cafile ? `cafile ${config.soar.cafile}` : 'the system CAs'}` };
}

async function checkSchema(app: App, out: CheckOutput): Promise<void> {
  let schema;
  try {
    schema = await app.soarSchema.readSchema();
  } catch (err) {
    const { reason, fix } = explainFailure(err, 'soar');
    out({ verdict: 'FAIL', name: 'SOAR schema', detail: reason, fix });
    return;
  }
  const gap = findSchemaGaps(schema);
  const setup = 'Run `guardduty-soar setup` to create them (it needs a key with the customization permission).';
  const kinds: { name: string; missing: string[]; present: string }[] = [
    { name: 'SOAR custom incident fields', missing: gap.fields.map((f) => f.name), present: 'all present' },
    { name: 'SOAR data tables', missing: [...gap.tables.map((t) => t.name), ...gap.columns.map((c) => `${c.table}.${c.column.name}`)], present: 'all present, with their columns' },
    { name: 'SOAR artifact types', missing: [...gap.artifactTypes, ...gap.builtInArtifactTypes].map((t) => t.name), present: 'all present' },
  ];
  for (const kind of kinds) {
    out(kind.missing.length === 0
      ? { verdict: 'OK', name: kind.name, detail: kind.present }
      : { verdict: 'FAIL', name: kind.name, detail: `missing ${kind.missing.join(', ')}`, fix: setup });
  }
  for (const mismatch of gap.mismatched) {
    out({ verdict: 'WARN', name: 'SOAR custom incident fields', detail: `${mismatch} (left as it is; guardduty-soar writes text into it)` });
  }
}
