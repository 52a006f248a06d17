import type { Caller } from '../accounts/accounts.js';
import type { Detector } from '../state/detector.js';
import type { GuardDutyOperation } from './guardduty-routes.js';
import { unknownDetector } from '../protocol/service-error.js';
import type { EmulatorState } from '../state/state.js';
import type { JsonObject } from '../protocol/wire.js';

/** A parsed GuardDuty request, as every handler receives it. */
export interface GuardDutyRequest {
  operation: GuardDutyOperation;
  detectorId: string | undefined;
  /** The IPSet / ThreatIntelSet id of the path, when the route has one. */
  resourceId: string | undefined;
  query: URLSearchParams;
  body: JsonObject;
  caller: Caller;
  /** From the SigV4 credential scope. */
  region: string;
}

export function detectorOf(state: EmulatorState, req: GuardDutyRequest): Detector {
  if (!req.detectorId) throw unknownDetector();
  return state.ownDetector(req.caller, req.region, req.detectorId);
}
