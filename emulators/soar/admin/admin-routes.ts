import { z } from 'zod';
import { faultRuleBaseShape } from '../../shared/fault-schema.js';
import { SoarError, badRequest, notFound } from '../errors.js';
import type { RestRequest, RouteDef } from '../http/types.js';
import { ok, route } from '../http/types.js';
import { INPUT_TYPES } from '../schema/field-def.js';
import type { SoarAdmin } from './soar-admin.js';

/** Admin request bodies, validated at the edge. */
const Properties = z.record(z.string(), z.unknown());
const FieldSpec = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  inputType: z.enum(INPUT_TYPES),
  required: z.enum(['always', 'close']).optional(),
  values: z.array(z.string()).optional(),
});
const CloseBody = z.object({ resolution: z.string().optional(), summary: z.string().optional(), properties: Properties.optional() });
const UpdateBody = z.object({ fields: Properties.optional(), properties: Properties.optional() });
const NoteBody = z.object({ text: z.string().min(1), format: z.enum(['text', 'html']).optional() });
const TableBody = z.object({ name: z.string().min(1), label: z.string().optional(), columns: z.array(FieldSpec) });
const ArtifactTypeBody = z.object({ name: z.string().min(1), label: z.string().optional(), description: z.string().optional() });
const RequiredBody = z.object({ fields: z.array(z.string()) });
const FaultBody = z.object({
  operations: z.array(z.string()).optional(),
  ...faultRuleBaseShape,
  statuses: z.array(z.number().int().min(400).max(599)).optional(),
  latencyMs: z.number().min(0).optional(),
  answerDelayMs: z.number().min(0).optional(),
  maxInFlight: z.number().int().min(0).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

function body<T>(schema: z.ZodType<T>, req: RestRequest): T {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  throw badRequest(`Invalid admin request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`);
}

function id(req: RestRequest): number {
  const raw = req.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw notFound(raw);
  return Number(raw);
}

function removed(found: boolean, what: string): ReturnType<typeof ok> {
  if (!found) throw new SoarError(404, `${what} not found`);
  return ok({ removed: true });
}

/** `/__admin/...` (no auth, JSON). The same operations exist as typed methods on the emulator handle. */
export function adminRoutes(admin: SoarAdmin): RouteDef[] {
  const abs = { scope: 'absolute' as const, public: true };
  const r = (method: RouteDef['method'], path: string, handler: RouteDef['handler']): RouteDef => route(method, `/__admin${path}`, handler, abs);
  return [
    r('GET', '/state', () => ok(admin.summary())),
    r('POST', '/reset', () => {
      admin.reset();
      return ok({ reset: true });
    }),
    r('GET', '/incidents', () => ok(admin.listIncidents())),
    r('GET', '/incidents/{id}', (req) => {
      const incident = admin.getIncident(id(req));
      if (!incident) throw notFound(id(req));
      return ok(incident);
    }),
    r('PATCH', '/incidents/{id}', (req) => ok(admin.updateIncident(id(req), body(UpdateBody, req)))),
    r('DELETE', '/incidents/{id}', (req) => removed(admin.deleteIncidents([id(req)]), 'Incident')),
    r('POST', '/incidents/{id}/close', (req) => ok(admin.closeIncident(id(req), body(CloseBody, req)))),
    r('POST', '/incidents/{id}/reopen', (req) => ok(admin.reopenIncident(id(req)))),
    r('POST', '/incidents/{id}/properties', (req) => ok(admin.setProperties(id(req), body(z.object({ properties: Properties }), req).properties))),
    r('POST', '/incidents/{id}/notes', (req) => {
      const note = body(NoteBody, req);
      return ok(admin.addNote(id(req), note.text, note.format));
    }),
    r('POST', '/schema/incident-fields', (req) => {
      admin.addIncidentField(body(FieldSpec, req));
      return ok(admin.summary());
    }),
    r('DELETE', '/schema/incident-fields/{name}', (req) => removed(admin.deleteIncidentField(req.params.name ?? ''), 'Incident field')),
    r('POST', '/schema/data-tables', (req) => {
      admin.addDataTable(body(TableBody, req));
      return ok(admin.summary());
    }),
    r('DELETE', '/schema/data-tables/{name}', (req) => removed(admin.deleteDataTable(req.params.name ?? ''), 'Data table')),
    r('POST', '/schema/artifact-types', (req) => {
      admin.addArtifactType(body(ArtifactTypeBody, req));
      return ok(admin.summary());
    }),
    r('DELETE', '/schema/artifact-types/{name}', (req) => removed(admin.deleteArtifactType(req.params.name ?? ''), 'Custom artifact type')),
    r('GET', '/schema/required-on-close', () => ok({ fields: admin.summary().requiredOnClose })),
    r('PUT', '/schema/required-on-close', (req) => {
      admin.setRequiredOnClose(body(RequiredBody, req).fields);
      return ok({ fields: admin.summary().requiredOnClose });
    }),
    r('GET', '/calls', () => ok(admin.calls())),
    r('DELETE', '/calls', () => {
      admin.resetCalls();
      return ok({ reset: true });
    }),
    r('GET', '/faults', () => ok(admin.faults())),
    r('POST', '/faults', (req) => ok(admin.addFault(body(FaultBody, req)))),
    r('DELETE', '/faults', () => {
      admin.clearFaults();
      return ok({ cleared: true });
    }),
    r('DELETE', '/faults/{fid}', (req) => removed(admin.removeFault(req.params.fid ?? ''), 'Fault')),
  ];
}
