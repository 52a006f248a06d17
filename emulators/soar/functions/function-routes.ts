import { SoarError, badRequest } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { DuplicateDefinitionError, SYSTEM_PRINCIPAL, type FunctionPrincipal, type FunctionRecord, type MessageDestinationRecord } from '../state/functions-store.js';
import type { SoarState } from '../state/soar-state.js';
import { readDestinationInput, readDestinationUpdate, readFunctionInput, readFunctionUpdate, type FunctionInput } from './function-input.js';

/**
 * `/message_destinations` and `/functions` as SOAR answers them (soar-functions-contract.md §2.1,
 * §2.3, §5.3): lists as `{entities: [...]}`, one object by id (functions also by API name), creates
 * that refuse a taken name, and PUTs that replace the given keys (how resilient-circuits adds its
 * API key to a destination's `api_keys`).
 */
export function functionRoutes(state: SoarState): RouteDef[] {
  const store = state.functions;
  const destinationOr404 = (req: RestRequest): MessageDestinationRecord => {
    const raw = req.params.id ?? '';
    const found = /^\d+$/.test(raw) ? store.destination(Number(raw)) : store.destination(raw);
    if (!found) throw new SoarError(404, `Unable to find message destination '${raw}'.`);
    return found;
  };
  const functionOr404 = (req: RestRequest): FunctionRecord => {
    const raw = req.params.id ?? '';
    const found = /^\d+$/.test(raw) ? store.function(Number(raw)) : store.function(raw);
    if (!found) throw new SoarError(404, `Unable to find function '${raw}'.`);
    return found;
  };
  const render = (req: RestRequest, f: FunctionRecord): Record<string, unknown> => renderFunction(state, f, req.out.handleFormat === 'names');
  return [
    route('GET', '/message_destinations', () => ok({ entities: store.listDestinations().map(renderDestination) })),
    route('POST', '/message_destinations', (req) => ok(renderDestination(refuseDuplicate(() => store.addDestination(readDestinationInput(req.body)))))),
    route('GET', '/message_destinations/{id}', (req) => ok(renderDestination(destinationOr404(req)))),
    route('PUT', '/message_destinations/{id}', (req) => {
      const current = destinationOr404(req);
      const update = readDestinationUpdate(req.body);
      if (update.programmatic_name !== undefined && update.programmatic_name !== current.programmatic_name) {
        throw badRequest('Bad Request: the programmatic name of a message destination cannot be changed.');
      }
      const { programmatic_name: _ignored, ...patch } = update;
      return ok(renderDestination(store.updateDestination(current.id, patch) ?? current));
    }),
    route('GET', '/functions', (req) => ok({ entities: store.listFunctions().map((f) => render(req, f)) })),
    route('POST', '/functions', (req) => {
      const input = resolveFunction(state, readFunctionInput(req.body));
      return ok(render(req, refuseDuplicate(() => store.addFunction(input, principalOf(state, req)))));
    }),
    route('GET', '/functions/{id}', (req) => ok(render(req, functionOr404(req)))),
    route('PUT', '/functions/{id}', (req) => {
      const current = functionOr404(req);
      const update = readFunctionUpdate(req.body);
      if (update.name !== undefined && update.name !== current.name) throw badRequest('Bad Request: the API name of a function cannot be changed.');
      const { name: _name, destination_handle, ...rest } = update;
      const resolved = resolveFunction(state, { ...rest, name: current.name, destination_handle: destination_handle ?? current.destination_handle });
      const { name: _n, ...patch } = resolved;
      return ok(render(req, store.updateFunction(current.id, patch, principalOf(state, req)) ?? current));
    }),
  ];
}

function refuseDuplicate<T>(create: () => T): T {
  try {
    return create();
  } catch (err) {
    // [I] SOAR's message for a taken name is not documented; a 400 with IBM's error body.
    if (err instanceof DuplicateDefinitionError) throw badRequest(`Bad Request: ${err.message}`);
    throw err;
  }
}

/** The destination must exist, and every input (view item) must be a `__function` field of the org. */
export function resolveFunction(state: SoarState, input: FunctionInput): FunctionInput & { destination_handle: string } {
  const raw = input.destination_handle;
  const destination = typeof raw === 'number' || /^\d+$/.test(raw) ? state.functions.destination(Number(raw)) : state.functions.destination(raw);
  if (!destination) throw badRequest(`Bad Request: no message destination '${String(raw)}' for function '${input.name}'.`);
  const known = new Set(state.schema.functionFields().map((f) => f.uuid));
  const unknown = (input.view_items ?? []).map((v) => v.content ?? '').filter((uuid) => !known.has(uuid));
  // [I] SOAR refuses a function whose inputs are not function fields; the exact message is ours.
  if (unknown.length > 0) throw badRequest(`Bad Request: function '${input.name}' refers to unknown function fields ${unknown.join(', ')}.`);
  return { ...input, destination_handle: destination.programmatic_name };
}

export function renderDestination(d: MessageDestinationRecord): Record<string, unknown> {
  return { ...d, export_key: d.programmatic_name };
}

/** `destination_handle` is the destination's id, or its programmatic name with `handle_format=names` (§2.1). */
export function renderFunction(state: SoarState, f: FunctionRecord, names: boolean): Record<string, unknown> {
  const destination = state.functions.destination(f.destination_handle);
  return { ...f, destination_handle: names ? f.destination_handle : (destination?.id ?? null), export_key: f.name };
}

function principalOf(state: SoarState, req: RestRequest): FunctionPrincipal {
  const p = req.principal;
  if (p.kind === 'apikey') return { display_name: p.keyId, id: p.handle, name: p.keyId, type: 'apikey' };
  const user = state.userOf(p);
  return user ? { display_name: `${user.fname} ${user.lname}`, id: user.id, name: user.email, type: 'user' } : SYSTEM_PRINCIPAL;
}
