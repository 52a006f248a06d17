/**
 * GuardDuty's FindingCriteria, the filter language of ListFindings: what the configuration's extra
 * criteria, the poller's listing and the `list findings` function all write.
 */

/** One GuardDuty criterion condition, as the API accepts it (current operators only). */
export interface Condition {
  Equals?: string[];
  NotEquals?: string[];
  GreaterThan?: number;
  GreaterThanOrEqual?: number;
  LessThan?: number;
  LessThanOrEqual?: number;
}

/** `findingCriteria.criterion`: field name (e.g. `service.archived`, `updatedAt`) → condition. */
export type Criteria = Record<string, Condition>;
