import type { GuardDutyRequest } from './guardduty-request.js';
import type { TagOperation } from './guardduty-routes.js';
import { AwsServiceError, badRequest, invalidParameter } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import { mergeTags, parseTagKeys, parseTagMap } from './tags.js';
import type { JsonObject } from '../protocol/wire.js';

/**
 * TagResource, UntagResource and ListTagsForResource on the ARNs of detectors, IPSets,
 * ThreatIntelSets and filters (the 2019 tagging change). [I] where the model is silent: an ARN of
 * another account is 403 AccessDeniedException (the model lists it); one of another region, or of a
 * resource that does not exist, is 400; untagging a key the resource does not have is not an error.
 */

type Handler = (state: EmulatorState, req: GuardDutyRequest) => JsonObject;

/** The model's GuardDutyArn pattern, with the resource path the emulator can resolve. */
const ARN = /^arn:[A-Za-z_.-]{1,20}:guardduty:([A-Za-z0-9_/.-]{0,63}):(\d+):detector\/([A-Za-z0-9_.-]{32,264}?)(?:\/(ipset|threatintelset|filter)\/([A-Za-z0-9_.-]+))?$/;

export const TAG_HANDLERS: Record<TagOperation, Handler> = {
  ListTagsForResource: (state, req) => ({ tags: { ...taggable(state, req).tags } }),
  TagResource: (state, req) => {
    const resource = taggable(state, req);
    resource.tags = mergeTags(resource.tags, parseTagMap(req.body.tags, 'tags'), 'tags');
    return {};
  },
  UntagResource: (state, req) => {
    const resource = taggable(state, req);
    const keys = new Set(parseTagKeys(req.query.getAll('tagKeys'), 'tagKeys'));
    resource.tags = Object.fromEntries(Object.entries(resource.tags).filter(([k]) => !keys.has(k)));
    return {};
  },
};

/** The object whose `tags` the ARN names. */
function taggable(state: EmulatorState, req: GuardDutyRequest): { tags: Record<string, string> } {
  const arn = req.resourceId ?? '';
  const match = ARN.exec(arn);
  if (!match) throw invalidParameter('resourceArn', 'It must be the ARN of a GuardDuty detector, IPSet, ThreatIntelSet or filter.');
  const [, region, accountId, detectorId, kind, id] = match;
  if (accountId !== req.caller.account.id) {
    throw new AwsServiceError(403, 'AccessDeniedException', `The request is rejected because the resourceArn belongs to account ${accountId}, not to the caller's account ${req.caller.account.id}.`);
  }
  if (region !== req.region) throw badRequest(`The request is rejected because the resourceArn is in ${region ?? ''}, not in the region of the call, ${req.region}.`);
  const detector = state.store.detector(detectorId ?? '');
  const missing = () => badRequest(`The request is rejected because the resource ${arn} does not exist.`);
  if (!detector || detector.accountId !== accountId || detector.region !== region) throw missing();
  if (kind === undefined) return detector.config;
  const resource = kind === 'filter' ? state.filters.get(detector.id, id ?? '') : state.threatLists.get(id ?? '');
  const inDetector = resource && (kind === 'filter' || ('kind' in resource && resource.kind === kind && resource.detectorId === detector.id));
  if (!resource || !inDetector) throw missing();
  return resource;
}
