/**
 * The API names of the custom incident fields: the one source for their definitions and mapping
 * (custom-fields.ts), the sync's reads and queries, and the App Host playbooks.
 */
export const FIELD = {
  findingId: 'aws_guardduty_finding_id',
  findingArn: 'aws_guardduty_finding_arn',
  findingType: 'aws_guardduty_finding_type',
  updatedAt: 'aws_guardduty_finding_updated_at',
  region: 'aws_guardduty_region',
  accountId: 'aws_guardduty_account_id',
  severity: 'aws_guardduty_severity',
  resourceType: 'aws_guardduty_resource_type',
  detectorId: 'aws_guardduty_detector_id',
  count: 'aws_guardduty_count',
  archived: 'aws_guardduty_archived',
  triggerRefresh: 'aws_guardduty_trigger_refresh',
  sequenceIncident: 'aws_guardduty_sequence_incident',
} as const;

/** `properties.<name>` as SOAR's query API spells custom fields. */
export function queryField(name: string): string {
  return `properties.${name}`;
}
