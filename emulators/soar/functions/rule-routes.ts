import { SoarError, badRequest } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { DuplicateDefinitionError, type RuleRecord } from '../state/functions-store.js';
import type { SoarState } from '../state/soar-state.js';
import { readRuleInput } from './function-input.js';

/**
 * `/actions`: the org's rules (menu items and automatic rules), as SOAR lists them:
 * `{entities: [...]}` (pytest-resilient-circuits' recorded `GET /actions`). resilient-circuits'
 * `Actions` component reads this list at start (`entities[].id`, later `name`); without it an
 * unmodified IBM app retries and logs errors. [I] `POST /actions` (resilient-circuits' legacy
 * `customize` creates rules with it) refuses a taken name with a 400, as for functions.
 */
export function ruleRoutes(state: SoarState): RouteDef[] {
  const store = state.functions;
  const render = (req: RestRequest, r: RuleRecord): Record<string, unknown> => renderRule(state, r, req.out.handleFormat === 'names');
  return [
    route('GET', '/actions', (req) => ok({ entities: store.listRules().map((r) => render(req, r)) })),
    route('POST', '/actions', (req) => ok(render(req, addRule(state, req.body)))),
    route('GET', '/actions/{id}', (req) => {
      const raw = req.params.id ?? '';
      const found = /^\d+$/.test(raw) ? store.rule(Number(raw)) : store.rule(raw);
      if (!found) throw new SoarError(404, `Unable to find rule '${raw}'.`);
      return ok(render(req, found));
    }),
  ];
}

/** Creates a rule; its message destinations must exist (given by id or programmatic name). */
export function addRule(state: SoarState, body: unknown): RuleRecord {
  const input = readRuleInput(body);
  const destinations = input.message_destinations.map((handle) => {
    const d = typeof handle === 'number' || /^\d+$/.test(handle) ? state.functions.destination(Number(handle)) : state.functions.destination(handle);
    if (!d) throw badRequest(`Bad Request: no message destination '${String(handle)}' for rule '${input.name}'.`);
    return d.programmatic_name;
  });
  try {
    return state.functions.addRule({ ...input, message_destinations: destinations });
  } catch (err) {
    if (err instanceof DuplicateDefinitionError) throw badRequest(`Bad Request: ${err.message}`);
    throw err;
  }
}

/** Destinations as ids, or programmatic names with `handle_format=names`. */
export function renderRule(state: SoarState, r: RuleRecord, names: boolean): Record<string, unknown> {
  const destinations = names ? r.message_destinations : r.message_destinations.map((n) => state.functions.destination(n)?.id ?? n);
  return { ...r, message_destinations: destinations };
}
