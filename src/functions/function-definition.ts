import { APP_PACKAGE, uuidFromString, type InputName } from './function-inputs.js';

/**
 * What a SOAR function is to SOAR: its API name (IBM's, so an org moving from IBM's app keeps its
 * playbooks and rules), display name, description, the message destination it sends to and its
 * inputs. Each handler module defines its own function beside its code (`handlers/<resource>/<verb>.ts`);
 * `definitions.ts` assembles them.
 */

export interface MessageDestinationDefinition {
  programmaticName: string;
  name: string;
  /** 0: a queue. */
  destinationType: 0;
  expectAck: true;
  uuid: string;
}

export const MESSAGE_DESTINATION: MessageDestinationDefinition = {
  programmaticName: 'fn_aws_gd',
  name: 'fn_aws_gd',
  destinationType: 0,
  expectAck: true,
  uuid: uuidFromString(`${APP_PACKAGE}/message_destinations/fn_aws_gd`),
};

/** Function API names, for the listener and the handlers. */
export const FUNCTION = {
  refreshFinding: 'func_aws_guardduty_refresh_finding',
  archiveFinding: 'func_aws_guardduty_archive_finding',
  createIpSet: 'aws_guardduty_create_ipset',
  createThreatIntelSet: 'aws_guardduty_create_threatintelset',
  deleteIpSet: 'aws_guardduty_delete_ipset',
  deleteThreatIntelSet: 'aws_guardduty_delete_threatintelset',
  getIpSet: 'aws_guardduty_get_ipset',
  getThreatIntelSet: 'aws_guardduty_get_threatintelset',
  listIpSet: 'aws_guardduty_list_ipset',
  listThreatIntelSet: 'aws_guardduty_list_threatintelset',
  updateIpSet: 'aws_guardduty_update_ipset',
  updateThreatIntelSet: 'aws_guardduty_update_threatintelset',
  addToThreatIntelSet: 'aws_guardduty_add_to_threatintelset',
  removeFromThreatIntelSet: 'aws_guardduty_remove_from_threatintelset',
  addToIpSet: 'aws_guardduty_add_to_ipset',
  removeFromIpSet: 'aws_guardduty_remove_from_ipset',
  unarchiveFindings: 'aws_guardduty_unarchive_findings',
  updateFindingsFeedback: 'aws_guardduty_update_findings_feedback',
  getFindings: 'aws_guardduty_get_findings',
  listFindings: 'aws_guardduty_list_findings',
  createSampleFindings: 'aws_guardduty_create_sample_findings',
  getDetector: 'aws_guardduty_get_detector',
  listDetectors: 'aws_guardduty_list_detectors',
  listTags: 'aws_guardduty_list_tags_for_resource',
  tagResource: 'aws_guardduty_tag_resource',
  untagResource: 'aws_guardduty_untag_resource',
  updateDetector: 'aws_guardduty_update_detector',
} as const;
export type FunctionName = (typeof FUNCTION)[keyof typeof FUNCTION];

export interface FunctionDefinition {
  name: FunctionName;
  displayName: string;
  description: string;
  destination: string;
  /** Input API names in the order SOAR shows them (the function's `view_items`). */
  inputs: readonly InputName[];
  uuid: string;
}

export function defineFunction(name: FunctionName, displayName: string, description: string, inputs: readonly InputName[]): FunctionDefinition {
  return { name, displayName, description, destination: MESSAGE_DESTINATION.programmaticName, inputs, uuid: uuidFromString(`${APP_PACKAGE}/functions/${name}`) };
}
