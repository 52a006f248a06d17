import { z } from 'zod';
import { SoarError, badRequest } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { DuplicateDefinitionError } from '../state/functions-store.js';
import type { FunctionsEmulation } from '../stomp/functions-emulation.js';

/** Admin request bodies, validated at the edge. */
const InvokeBody = z.object({
  function: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()).optional(),
  incidentId: z.number().int().optional(),
  workflow: z.object({ programmatic_name: z.string().optional(), name: z.string().optional() }).optional(),
});
const DestinationBody = z.object({
  programmatic_name: z.string().min(1),
  name: z.string().optional(),
  api_keys: z.array(z.union([z.string(), z.number()])).optional(),
  users: z.array(z.number().int()).optional(),
});
const FunctionBody = z.object({
  name: z.string().min(1),
  destination_handle: z.string().min(1),
  display_name: z.string().optional(),
  description: z.object({ format: z.enum(['text', 'html']), content: z.string() }).optional(),
  view_items: z.array(z.object({ content: z.string() })).optional(),
});
const StompFaultBody = z.object({
  dropNow: z.boolean().optional(),
  dropAfterFrames: z.number().int().min(1).optional(),
  dropAfterNextDelivery: z.boolean().optional(),
  delayMs: z.number().int().min(0).optional(),
  keepAliveEveryMs: z.number().int().min(1).optional(),
  refuseForMs: z.number().int().min(0).optional(),
  refuseConnections: z.number().int().min(0).optional(),
});

function body<T>(schema: z.ZodType<T>, req: RestRequest): T {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  throw badRequest(`Invalid admin request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

function defining<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof DuplicateDefinitionError) throw badRequest(error.message);
    throw error;
  }
}

/**
 * `/__admin/functions/...` and `/__admin/stomp/...`: invoke a function as a playbook would, read what
 * the app answered, seed definitions without REST, see the broker's connections and fault it.
 */
export function functionAdminRoutes(functions: FunctionsEmulation): RouteDef[] {
  const abs = { scope: 'absolute' as const, public: true };
  const r = (method: RouteDef['method'], path: string, handler: RouteDef['handler']): RouteDef => route(method, `/__admin${path}`, handler, abs);
  return [
    r('POST', '/functions/invoke', (req) => ok(functions.invoke(body(InvokeBody, req)))),
    r('GET', '/functions/invocations', () => ok(functions.invocations())),
    r('GET', '/functions/invocations/{invocationId}', (req) => {
      const id = req.params.invocationId ?? '';
      const view = functions.invocation(id);
      if (!view) throw new SoarError(404, `No invocation ${id}`);
      return ok(view);
    }),
    r('GET', '/functions/definitions', () => ok(functions.definitions())),
    r('POST', '/functions/destinations', (req) => ok(defining(() => functions.defineDestination(body(DestinationBody, req))))),
    r('POST', '/functions/definitions', (req) => ok(defining(() => functions.defineFunction(body(FunctionBody, req))))),
    r('GET', '/stomp/connections', () => ok(functions.stompConnections())),
    r('POST', '/stomp/connections/drop', () => ok({ dropped: functions.dropStompConnections() })),
    r('GET', '/stomp/faults', () => ok(functions.stompFaults())),
    r('POST', '/stomp/faults', (req) => {
      const { dropNow, ...settings } = body(StompFaultBody, req);
      const dropped = dropNow ? functions.dropStompConnections() : 0;
      return ok({ ...functions.setStompFaults(settings), droppedNow: dropped });
    }),
    r('DELETE', '/stomp/faults', () => {
      functions.clearStompFaults();
      return ok({ cleared: true });
    }),
  ];
}
