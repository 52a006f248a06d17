import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import {
  accountSchema, addFindingsSchema, bucketSchema, coverageSchema, detectorUpdateSchema, faultSchema, finishScansSchema, growSchema, guardDutyScanSchema,
  idsSchema, listObjectsSchema, objectQuerySchema, objectSchema, protectBucketSchema, relationshipSchema, roleSchema, scanPlanSchema, sequenceSchema,
  threatListFilterSchema, threatListSeedSchema, updateSchema,
} from './admin-schemas.js';
import type { EmulatorControl } from './control.js';
import { AdminError, type ThreatListSeed } from './control-types.js';
import type { CoverageSpec } from './respond-admin.js';
import { readBody, sendJson } from '../protocol/http-io.js';
import type { JsonObject } from '../protocol/wire.js';

/**
 * The admin API under `/__admin/` (JSON, no auth, loopback only). Every body is validated with zod;
 * a problem answers 400 `{error, issues}`.
 */

type Route = (ctx: { body: () => Promise<unknown>; url: URL; param: string | undefined }) => unknown;

export function adminRoutes(control: EmulatorControl): Record<string, Route> {
  return {
    'GET state': () => control.summary(),
    'GET detectors': ({ url }) => control.detectorsOf(url.searchParams.get('account') ?? undefined),
    'GET findings': ({ url }) => ({ findings: control.listFindings(findingFilter(url)) }),
    'GET findings/:id': ({ param }) => ({ finding: control.getFinding(param ?? '') ?? notFound(param) }),
    'POST findings': async ({ body }) => {
      const parsed = parse(addFindingsSchema, await body());
      const findings = 'findings' in parsed ? control.addFindings(parsed.findings as JsonObject[]) : control.generateFindings(parsed.generate);
      return { findings };
    },
    'PATCH findings/:id': async ({ body, param }) => ({ finding: control.updateFinding(param ?? '', parse(updateSchema, await body())) }),
    'DELETE findings/:id': ({ param }) => ({ deleted: control.deleteFindings([param ?? '']) }),
    'POST findings/archive': async ({ body }) => ({ changed: control.setArchived(parse(idsSchema, await body()).ids, true) }),
    'POST findings/unarchive': async ({ body }) => ({ changed: control.setArchived(parse(idsSchema, await body()).ids, false) }),
    'POST findings/delete': async ({ body }) => ({ deleted: control.deleteFindings(parse(idsSchema, await body()).ids) }),
    'POST sequences': async ({ body }) => control.generateSequence(parse(sequenceSchema, await body())),
    'POST sequences/:id/grow': async ({ body, param }) => control.growSequence(param ?? '', parse(growSchema, await body())),
    'GET calls': () => control.calls(),
    'DELETE calls': () => (control.resetCalls(), {}),
    'POST calls/reset': () => (control.resetCalls(), {}),
    'GET faults': () => ({ faults: control.faults() }),
    'POST faults': async ({ body }) => ({ id: control.setFault(parse(faultSchema, await body())) }),
    'DELETE faults': () => (control.clearFaults(), {}),
    'DELETE faults/:id': ({ param }) => (control.clearFaults(param), {}),
    'POST accounts': async ({ body }) => control.addAccount(parse(accountSchema, await body())),
    'GET threat-lists': ({ url }) => ({ threatLists: control.threatLists(parse(threatListFilterSchema, Object.fromEntries(url.searchParams))) }),
    'POST threat-lists': async ({ body }) => ({ threatList: control.seedThreatList(parse(threatListSeedSchema, await body()) as ThreatListSeed) }),
    'DELETE threat-lists': ({ url }) => ({ deleted: control.resetThreatLists(parse(threatListFilterSchema, Object.fromEntries(url.searchParams))) }),
    'GET s3-buckets': () => ({ buckets: control.buckets() }),
    'POST s3-buckets': async ({ body }) => ({ bucket: control.createBucket(parse(bucketSchema, await body())) }),
    'GET s3-objects': ({ url }) => {
      const { bucket, prefix } = parse(listObjectsSchema, Object.fromEntries(url.searchParams));
      return { objects: control.listObjects(bucket, prefix) };
    },
    'PUT s3-objects': async ({ body }) => {
      const { bucket, key, text, contentType } = parse(objectSchema, await body());
      return { object: control.putObjectText(bucket, key, text, contentType) };
    },
    'GET s3-object': ({ url }) => {
      const { bucket, key } = parse(objectQuerySchema, Object.fromEntries(url.searchParams));
      return control.getObjectText(bucket, key) ?? notFoundObject(bucket, key);
    },
    'GET malware-scans': () => ({ scans: control.malwareScans() }),
    'POST malware-scans': async ({ body }) => {
      const { findingId, resourceArn } = parse(guardDutyScanSchema, await body());
      return { scan: control.startGuardDutyScan(findingId, resourceArn) };
    },
    'POST malware-scans/finish': async ({ body }) => ({ finished: control.finishMalwareScans(parse(finishScansSchema, await body()).resourceArn) }),
    'POST malware-scan-plans': async ({ body }) => {
      const { resourceArn, ...plan } = parse(scanPlanSchema, await body());
      control.planMalwareScan(resourceArn, plan);
      return {};
    },
    'GET object-scans': () => ({ scans: control.objectScans() }),
    'POST protected-buckets': async ({ body }) => (control.protectBucket(parse(protectBucketSchema, await body()).bucket), {}),
    'POST coverage': async ({ body }) => ({ resource: control.addCoverage(parse(coverageSchema, await body()) as CoverageSpec) }),
    'DELETE coverage': () => (control.clearCoverage(), {}),
    'PUT members/:id': async ({ body, param }) => (control.setMemberRelationship(param ?? '', parse(relationshipSchema, await body()).relationshipStatus), {}),
    'PATCH detectors': async ({ body }) => {
      const { account, region, ...settings } = parse(detectorUpdateSchema, await body());
      control.updateDetector(account ?? control.defaultAccountId(), region, settings);
      return {};
    },
    'POST accounts/:id/roles': async ({ body, param }) => (control.addRole(param ?? '', parse(roleSchema, await body())), {}),
  };
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, routes: Record<string, Route>): Promise<void> {
  const { key, param } = routeKey(req.method ?? 'GET', url.pathname.slice('/__admin/'.length));
  const route = routes[key];
  if (!route) return sendJson(res, 404, { error: `no admin route ${req.method} ${url.pathname}` });
  try {
    const result = await route({ body: () => readJson(req), url, param });
    sendJson(res, 200, result ?? {});
  } catch (err) {
    if (err instanceof AdminError) return sendJson(res, err.status, { error: err.message, ...(err instanceof ValidationError ? { issues: err.issues } : {}) });
    sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) });
  }
}

/** `findings/abc/roles` → `findings/:id/roles` with param `abc` (the second segment is the only parameter). */
function routeKey(method: string, path: string): { key: string; param: string | undefined } {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const fixed = new Set(['archive', 'unarchive', 'delete', 'reset', 'finish']);
  if (parts.length >= 2 && !fixed.has(parts[1])) {
    const param = parts[1];
    return { key: `${method} ${[parts[0], ':id', ...parts.slice(2)].join('/')}`, param };
  }
  return { key: `${method} ${parts.join('/')}`, param: undefined };
}

class ValidationError extends AdminError {
  constructor(readonly issues: unknown) {
    super(400, 'invalid request body');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return result.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new AdminError(400, 'the body is not JSON');
  }
}

function findingFilter(url: URL): { account?: string; region?: string; archived?: boolean } {
  const archived = url.searchParams.get('archived');
  return {
    account: url.searchParams.get('account') ?? undefined,
    region: url.searchParams.get('region') ?? undefined,
    archived: archived === null ? undefined : archived === 'true',
  };
}

function notFoundObject(bucket: string, key: string): never {
  throw new AdminError(404, `no object ${key} in bucket ${bucket}`);
}

function notFound(id: string | undefined): never {
  throw new AdminError(404, `no finding ${id ?? ''}`);
}
