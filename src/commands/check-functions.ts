import { FUNCTIONS, FUNCTION_INPUTS, MESSAGE_DESTINATION } from '../functions/definitions.js';
import type { App } from '../app/app.js';
import type { OrgInfo } from '../soar/case-system.js';
import type { CheckOutput } from './check-output.js';
import { explainFailure } from './check-hints.js';
import { describePrincipal, findFunctionsGap, readFunctionsState, type FunctionsState } from '../setup/functions-plan.js';

const SETUP = 'Run `guardduty-soar setup` to create them (it needs a key with the customization permission).';

/**
 * The REST side of the SOAR functions: the org runs functions at all, the message destination
 * exists and lets the daemon's key subscribe, every function and its input fields exist.
 * (Whether the STOMP connection itself works is `check-stomp.ts`.)
 */
export async function checkFunctions(app: App, org: OrgInfo, out: CheckOutput): Promise<void> {
  const { session, catalog } = app.soarClient;
  let state: FunctionsState;
  try {
    const enabled = await session.actionsFrameworkEnabled();
    out(enabled
      ? { verdict: 'OK', name: 'SOAR actions framework', detail: `enabled in org "${org.name}"` }
      : {
          verdict: 'WARN', name: 'SOAR actions framework',
          detail: `disabled in org "${org.name}": SOAR sends no function invocations (polling is not affected)`,
          fix: 'Ask the SOAR administrator to enable the actions framework (functions) for the org.',
        });
    state = await readFunctionsState(catalog);
  } catch (err) {
    const { reason, fix } = explainFailure(err, 'soar');
    out({ verdict: 'FAIL', name: 'SOAR functions', detail: reason, fix });
    return;
  }
  const gap = findFunctionsGap(state);
  const name = MESSAGE_DESTINATION.programmaticName;
  out(gap.fields.length === 0
    ? { verdict: 'OK', name: 'SOAR function inputs', detail: `all ${FUNCTION_INPUTS.length} present` }
    : { verdict: 'FAIL', name: 'SOAR function inputs', detail: `missing ${gap.fields.map((f) => f.name).join(', ')}`, fix: SETUP });
  const destination = state.destinations.find((d) => d.programmaticName === name);
  if (!destination) {
    out({ verdict: 'FAIL', name: 'SOAR message destination', detail: `missing ${name}`, fix: 'Run `guardduty-soar setup` to create it (with this key as a member).' });
  } else {
    out({ verdict: 'OK', name: 'SOAR message destination', detail: `${name} (id ${destination.id})` });
    const who = describePrincipal(state.principal);
    out(gap.membership
      ? {
          verdict: 'FAIL', name: 'SOAR destination membership', detail: `the ${who} is not a member of ${name}: SOAR refuses its subscription`,
          fix: `Run \`guardduty-soar setup\` to add it, or add the key to ${name} under Customization Settings > Message Destinations.`,
        }
      : { verdict: 'OK', name: 'SOAR destination membership', detail: `the ${who} is a member of ${name}` });
  }
  out(gap.functions.length === 0
    ? { verdict: 'OK', name: 'SOAR functions', detail: `all ${FUNCTIONS.length} present` }
    : { verdict: 'FAIL', name: 'SOAR functions', detail: `missing ${gap.functions.map((f) => f.name).join(', ')}`, fix: SETUP });
  for (const mismatch of gap.mismatched) {
    out({ verdict: 'WARN', name: 'SOAR functions', detail: `${mismatch} (left as it is)`, fix: 'Compare the definition in SOAR with `guardduty-soar setup --dry-run` and correct it by hand if it was not deliberate.' });
  }
}
