/**
 * The SOAR functions listener's state as the health endpoints, the metrics and `status` read it. It
 * lives on this floor, below the listener that produces it, so that health never imports the functions.
 */

/** Where a broker's ERROR frame came: the login, the subscription (before its receipt), or later. */
export type RefusalStage = 'login' | 'subscription' | 'session';

/** An ERROR frame, as the operator sees it: the broker's text and what to do about it. */
export interface Refusal {
  stage: RefusalStage;
  error: string;
  fix: string;
}

/**
 * What `/readyz`, `status` and the logs say about the listener. `connected` means served: the broker
 * confirmed the subscription. `refused`: its last answer was an ERROR frame (a login or a
 * subscription it does not allow); the listener retries with the backoff all the same.
 */
export type ListenerStatus = 'disabled' | 'starting' | 'framework-off' | 'connected' | 'refused' | 'reconnecting' | 'stopped';

export interface ListenerSnapshot {
  status: ListenerStatus;
  /** When the status began (epoch ms): "reconnecting since …". */
  since: number;
  /** `actions.<org_id>.fn_aws_gd`, once the org is known. */
  destination: string | undefined;
  reconnects: number;
  lastError: string | undefined;
  inFlight: number;
  /** While `refused`: the broker's ERROR and the fix. */
  refusal?: Refusal | undefined;
  /** While `reconnecting` or `refused`: when the next attempt is due (epoch ms). */
  nextAttemptAt?: number | undefined;
}

