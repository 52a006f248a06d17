import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Caller } from '../accounts/accounts.js';
import { handleEc2 } from '../ec2/ec2-handlers.js';
import { parseJsonBody } from '../guardduty/guardduty-input.js';
import { handleGuardDuty } from '../guardduty/guardduty-handlers.js';
import { NO_CONTENT, matchGuardDutyRoute, type GuardDutyRoute } from '../guardduty/guardduty-routes.js';
import { EC2_VERSION, STS_VERSION, ec2ErrorXml, parseForm, stsErrorXml } from '../protocol/query-protocol.js';
import { s3ErrorXml } from '../s3/s3-errors.js';
import { handleS3 } from '../s3/s3-handlers.js';
import { matchS3Route, type S3Route } from '../s3/s3-routes.js';
import { AwsServiceError, S3Error, authError } from '../protocol/service-error.js';
import type { SigV4Parse } from '../protocol/sigv4.js';
import { UNSIGNED_STS_ACTIONS, handleSts } from '../sts/sts-handlers.js';
import type { EmulatorState } from '../state/state.js';
import type { AwsService } from '../protocol/wire.js';

/**
 * Which service and operation a request is for, who the caller is, and the protocol-specific body of
 * the answer. S3 is told apart by its signing scope or a virtual-hosted Host; GuardDuty by its REST
 * paths; EC2 and STS (both `POST /`, form-encoded) by `Version`. The region is always the SigV4
 * scope's, never the Host header.
 */

export type Target =
  | { service: 'guardduty'; operation: string; route: GuardDutyRoute | undefined; url: URL }
  | { service: 'ec2' | 'sts'; operation: string; params: URLSearchParams }
  | { service: 's3'; operation: string; route: S3Route | undefined; head: boolean };

/** What the front ends read of a request. */
export interface Incoming {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  bytes: Buffer;
  /** The body as UTF-8 (every protocol but S3 objects). */
  raw: string;
}

export interface Rendered {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers: Record<string, string>;
}

export function identify(incoming: Incoming, scopeService: string | undefined): Target {
  const { method, url } = incoming;
  const host = typeof incoming.headers.host === 'string' ? incoming.headers.host : undefined;
  const s3 = matchS3Route(method, url, host);
  if (scopeService === 's3' || s3?.style === 'virtual') return s3Target(s3, method);
  const route = matchGuardDutyRoute(method, url.pathname);
  if (route) return { service: 'guardduty', operation: route.operation, route, url };
  if (method === 'POST' && url.pathname === '/') {
    const params = parseForm(incoming.raw);
    const version = params.get('Version');
    const service = version === EC2_VERSION ? 'ec2' : version === STS_VERSION ? 'sts' : scopeService === 'ec2' ? 'ec2' : 'sts';
    return { service, operation: params.get('Action') ?? 'Unknown', params };
  }
  // An unsigned object or bucket request is S3's (anonymous callers get S3's AccessDenied).
  if (scopeService === undefined && s3 && ['GET', 'PUT', 'HEAD'].includes(method)) return s3Target(s3, method);
  return { service: 'guardduty', operation: 'Unknown', route: undefined, url };
}

function s3Target(route: S3Route | undefined, method: string): Target {
  return { service: 's3', operation: route?.operation ?? 'Unknown', route, head: method === 'HEAD' };
}

/**
 * The caller and region of a signed call. Unsigned STS operations (AssumeRoleWithWebIdentity) have
 * no caller; [I] their region is the scope's if they happen to be signed, else us-east-1.
 */
export function authenticate(target: Target, auth: SigV4Parse, req: IncomingMessage, state: EmulatorState): { caller: Caller | undefined; region: string } {
  if (target.service === 'sts' && UNSIGNED_STS_ACTIONS.has(target.operation)) {
    return { caller: undefined, region: auth.ok ? auth.credential.region : 'us-east-1' };
  }
  if (!auth.ok) throw authError(target.service, auth.problem, '');
  const { accessKeyId, region, service } = auth.credential;
  if (service !== target.service) {
    throw new AwsServiceError(403, target.service === 'ec2' ? 'AuthFailure' : 'InvalidSignatureException', `Credential should be scoped to correct service: '${target.service}'.`);
  }
  const token = req.headers['x-amz-security-token'];
  const resolved = state.accounts.resolveKey(accessKeyId, typeof token === 'string' ? token : undefined, state.now());
  if (!resolved.ok) throw authError(target.service, resolved.problem === 'expired' ? 'expired' : 'unknown-key', region);
  // [I] A call into an opt-in region the account has not enabled fails like an unknown token.
  if (!state.accounts.isRegionEnabled(resolved.caller.account, region)) throw authError(target.service, 'region-disabled', region);
  return { caller: resolved.caller, region };
}

export function execute(target: Target, caller: Caller | undefined, region: string, incoming: Incoming, state: EmulatorState, requestId: string): Rendered {
  if (target.service === 'sts') {
    const xml = handleSts(target.operation, target.params, caller, state, requestId);
    return { status: 200, contentType: 'text/xml;charset=UTF-8', body: xml, headers: { 'x-amzn-RequestId': requestId } };
  }
  // Only STS has unsigned operations (authenticate lets nothing else through without a caller).
  if (!caller) throw authError(target.service, 'missing', region);
  if (target.service === 's3') {
    const route = target.route;
    if (!route?.operation) {
      throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented');
    }
    const answer = handleS3(state, { route: { ...route, operation: route.operation }, headers: incoming.headers, body: incoming.bytes, caller, region });
    return { status: answer.status, contentType: 'application/xml', body: answer.body, headers: { ...s3Headers(requestId), ...answer.headers } };
  }
  if (target.service === 'guardduty') {
    if (!target.route) {
      throw new AwsServiceError(404, 'UnknownOperationException', `The emulator does not implement ${target.url.pathname}.`);
    }
    const body = handleGuardDuty(state, {
      operation: target.route.operation,
      detectorId: target.route.detectorId,
      resourceId: target.route.resourceId,
      query: target.url.searchParams,
      body: parseJsonBody(incoming.raw),
      caller,
      region,
    });
    if (NO_CONTENT.has(target.route.operation)) return { status: 204, contentType: 'application/json', body: '', headers: guardDutyHeaders(requestId) };
    return { status: 200, contentType: 'application/json', body: JSON.stringify(body), headers: guardDutyHeaders(requestId) };
  }
  const xml = handleEc2(target.operation, target.params, caller, state, requestId);
  return { status: 200, contentType: 'text/xml;charset=UTF-8', body: xml, headers: { 'x-amzn-RequestId': requestId } };
}

export function renderError(target: Target, error: AwsServiceError, requestId: string): Rendered {
  const service: AwsService = target.service;
  if (target.service === 's3') {
    const body = target.head ? '' : s3ErrorXml(error, s3RequestId(requestId), s3HostId(requestId));
    return { status: error.status, contentType: 'application/xml', body, headers: s3Headers(requestId) };
  }
  if (service === 'guardduty') {
    return {
      status: error.status,
      contentType: 'application/json',
      body: JSON.stringify({ message: error.message, __type: error.wireType }),
      headers: { ...guardDutyHeaders(requestId), 'x-amzn-ErrorType': error.code },
    };
  }
  const body = service === 'ec2' ? ec2ErrorXml(error, requestId) : stsErrorXml(error, requestId);
  return { status: error.status, contentType: 'text/xml;charset=UTF-8', body, headers: { 'x-amzn-RequestId': requestId } };
}

function s3Headers(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': s3RequestId(requestId), 'x-amz-id-2': s3HostId(requestId) };
}

/** S3's request ids are 16 uppercase hex characters; its host id a base64 blob. */
function s3RequestId(requestId: string): string {
  return requestId.replace(/-/g, '').slice(0, 16).toUpperCase();
}

function s3HostId(requestId: string): string {
  return Buffer.from(requestId).toString('base64');
}

function guardDutyHeaders(requestId: string): Record<string, string> {
  // API Gateway fronts GuardDuty and adds its own id (seen in real responses).
  return { 'x-amzn-RequestId': requestId, 'x-amz-apigw-id': Buffer.from(requestId).toString('base64').slice(0, 16) };
}
