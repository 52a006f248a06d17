import type { Emulators } from '../../emulators/index.js';
import type { InvocationView } from '../../emulators/soar/index.js';
import { FUNCTION, INPUT } from '../functions/definitions.js';
import type { FunctionsListener } from '../functions/listener/listener.js';
import type { App } from '../app/app.js';
import { functionsListener } from '../app/functions-listener.js';
import type { CycleDeps } from '../poller/run-cycle.js';
import type { DemoPrinter } from './demo-story.js';

/** How long the demo waits for the listener to subscribe, and for one invocation to be answered. */
const WAIT_MS = 30_000;
/** The S3 object the demo's IPSet is read from (the AWS emulator's S3 holds it). */
const LIST_BUCKET = 'guardduty-soar-demo-lists';
const LIST_KEY = 'trusted/scanners.txt';

/**
 * The demo's SOAR functions step: the daemon's functions listener, built as `run` builds it, on the
 * demo's own preparation, while the demo plays SOAR and invokes over the emulator's STOMP broker
 * (a) Refresh Finding on an incident whose finding recurred, as IBM's manual playbook does, and
 * (b) Create IPSet from a list in S3, then Get IPSet. Returns whether every function succeeded.
 */
export async function functionsStory(app: App, deps: CycleDeps, emulators: Emulators, out: DemoPrinter, incidentId: number): Promise<boolean> {
  out.heading('SOAR functions: a playbook calls the daemon over STOMP (the listener `run` starts, on the same preparation)');
  const listener = functionsListener(app, () => Promise.resolve(deps));
  listener.start();
  try {
    const state = await subscribed(listener);
    out.line(`listener ${state.status}: STOMP 1.2 over TLS to port ${String(emulators.soar.stompPort)} (CA verified), subscribed to ${String(state.destination)}`);
    const refreshed = await refreshStep(emulators, out, incidentId);
    const listed = await ipSetStep(emulators, out);
    return refreshed && listed;
  } finally {
    await listener.stop(WAIT_MS);
  }
}

async function refreshStep(emulators: Emulators, out: DemoPrinter, incidentId: number): Promise<boolean> {
  const incident = emulators.soar.getIncident(incidentId);
  if (!incident) return false;
  const p = incident.properties;
  const findingId = String(p.aws_guardduty_finding_id);
  emulators.aws.updateFinding(findingId, { recur: 2, severity: 8.2 });
  out.line();
  out.line(`(a) GuardDuty: finding ${findingId} recurs twice more, severity 8.2; a responder clicks "Refresh Finding Details" on incident ${incidentId}`);
  const view = await invoke(emulators, out, FUNCTION.refreshFinding, {
    [INPUT.region]: p.aws_guardduty_region, [INPUT.detectorId]: p.aws_guardduty_detector_id, [INPUT.findingId]: findingId, [INPUT.incidentId]: incidentId,
  }, incidentId);
  const content = resultOf(view)?.content as { payload?: { severity_code?: unknown; properties?: Record<string, unknown> }; data_tables?: Record<string, unknown[]> } | undefined;
  const tables = Object.entries(content?.data_tables ?? {}).map(([t, rows]) => `${t} ${rows.length}`).join(', ');
  out.line(`    result content: severity_code ${String(content?.payload?.severity_code)}, aws_guardduty_count ${String(content?.payload?.properties?.aws_guardduty_count)}; data_tables: ${tables || 'none'}`);
  out.incident(emulators, incidentId, 'The incident now', { lastNoteOnly: true });
  return resultOf(view)?.success === true;
}

async function ipSetStep(emulators: Emulators, out: DemoPrinter): Promise<boolean> {
  const region = 'us-east-1';
  const detectorId = emulators.aws.detectors[region] ?? '';
  emulators.aws.createBucket({ name: LIST_BUCKET, region });
  emulators.aws.putObjectText(LIST_BUCKET, LIST_KEY, '# scanners we run ourselves\n198.51.100.7\n203.0.113.0/24\n');
  const location = `s3://${LIST_BUCKET}/${LIST_KEY}`;
  out.line();
  out.line(`(b) A playbook creates a trusted IP list on detector ${detectorId} (${region}) from ${location}`);
  const where = { [INPUT.region]: region, [INPUT.detectorId]: detectorId };
  const created = await invoke(emulators, out, FUNCTION.createIpSet, {
    ...where, [INPUT.name]: 'Our scanners', [INPUT.format]: 'TXT', [INPUT.location]: location, [INPUT.activate]: true,
  });
  const ipSetId = (resultOf(created)?.content as { IpSetId?: unknown } | undefined)?.IpSetId;
  out.line(`    new IpSetId: ${String(ipSetId)}`);
  if (typeof ipSetId !== 'string') return false;
  const got = await invoke(emulators, out, FUNCTION.getIpSet, { ...where, [INPUT.ipSetId]: ipSetId });
  const list = resultOf(got)?.content as { Name?: unknown; Status?: unknown } | undefined;
  out.line(`    Get IPSet: "${String(list?.Name)}" status ${String(list?.Status)}`);
  const held = emulators.aws.threatLists({ kind: 'ipset', region }).find((l) => l.id === ipSetId);
  out.line(`    GuardDuty read ${held?.lastLoad?.entries?.length ?? 0} entries from S3: ${held?.lastLoad?.entries?.join(', ') ?? 'none'}`);
  return resultOf(created)?.success === true && resultOf(got)?.success === true;
}

/** One invocation as SOAR makes it, answered over STOMP; prints the frames' story. */
async function invoke(emulators: Emulators, out: DemoPrinter, fn: string, inputs: Record<string, unknown>, incidentId?: number): Promise<InvocationView> {
  const { invocationId } = emulators.soar.invoke({ function: fn, inputs, ...(incidentId === undefined ? {} : { incidentId }) });
  const view = await emulators.soar.waitForInvocation(invocationId, { timeoutMs: WAIT_MS });
  out.invocation(view, resultOf(view));
  return view;
}

interface ResultsV2 {
  success?: unknown;
  reason?: unknown;
  content?: unknown;
}

/** The v2 `results` of the final reply (absent on an error reply). */
function resultOf(view: InvocationView): ResultsV2 | undefined {
  return (view.result as { results?: ResultsV2 } | null)?.results;
}

async function subscribed(listener: FunctionsListener): Promise<ReturnType<FunctionsListener['state']>> {
  const until = Date.now() + WAIT_MS;
  while (listener.state().status !== 'connected' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
  const state = listener.state();
  if (state.status !== 'connected') throw new Error(`the SOAR functions listener did not subscribe (${state.status}${state.lastError ? `: ${state.lastError}` : ''})`);
  return state;
}
