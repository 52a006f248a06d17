import type { Caller } from './accounts.js';
import type { Detector } from './detector.js';
import type { GuardDutyOperation } from './guardduty-routes.js';
import { unknownDetector } from './service-error.js';
import type { EmulatorState } from './state.js';
import type { JsonObject } from './wire.js';

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
