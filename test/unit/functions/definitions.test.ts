import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FUNCTIONS, FUNCTION_INPUTS, IBM_PLAYBOOKS, LIST_FORMATS, MESSAGE_DESTINATION, inputDefinition, requiredInputs, uuidFromString,
} from '../../../src/functions/definitions.js';
import { functionFieldObject, functionObject, functionsExportSection } from '../../../src/functions/definitions-export.js';

/** IBM's twelve functions with their required and optional inputs (soar-functions-contract.md §7.2). */
const IBM: Record<string, { required: string[]; optional: string[] }> = {
  func_aws_guardduty_refresh_finding: { required: ['aws_gd_finding_id', 'aws_gd_detector_id', 'aws_gd_region', 'incident_id'], optional: [] },
  func_aws_guardduty_archive_finding: { required: ['aws_gd_finding_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_create_ipset: {
    required: ['aws_gd_format', 'aws_gd_name', 'aws_gd_detector_id', 'aws_gd_region', 'aws_gd_activate', 'aws_gd_location'],
    optional: ['aws_gd_client_token', 'aws_gd_tags', 'aws_gd_bucket_owner'],
  },
  aws_guardduty_create_threatintelset: {
    required: ['aws_gd_format', 'aws_gd_name', 'aws_gd_detector_id', 'aws_gd_region', 'aws_gd_activate', 'aws_gd_location'],
    optional: ['aws_gd_client_token', 'aws_gd_tags'],
  },
  aws_guardduty_delete_ipset: { required: ['aws_gd_ip_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_delete_threatintelset: { required: ['aws_gd_threat_intel_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_get_ipset: { required: ['aws_gd_ip_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_get_threatintelset: { required: ['aws_gd_threat_intel_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_list_ipset: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_max_results', 'aws_gd_next_token'] },
  aws_guardduty_list_threatintelset: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_max_results', 'aws_gd_next_token'] },
  aws_guardduty_update_ipset: {
    required: ['aws_gd_detector_id', 'aws_gd_region', 'aws_gd_ip_set_id'],
    optional: ['aws_gd_new_name', 'aws_gd_new_location', 'aws_gd_new_activate', 'aws_gd_bucket_owner'],
  },
  aws_guardduty_update_threatintelset: {
    required: ['aws_gd_detector_id', 'aws_gd_region', 'aws_gd_threat_intel_set_id'],
    optional: ['aws_gd_new_name', 'aws_gd_new_location', 'aws_gd_new_activate'],
  },
};

/** Beyond IBM's app (issue 13): threat and trusted list maintenance, unarchive, feedback, get and list findings, sample findings, get, list and update detectors, tags. */
const RESPOND: Record<string, { required: string[]; optional: string[] }> = {
  aws_guardduty_add_to_threatintelset: { required: ['aws_gd_ip_addresses', 'aws_gd_threat_intel_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_remove_from_threatintelset: { required: ['aws_gd_ip_addresses', 'aws_gd_threat_intel_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_add_to_ipset: { required: ['aws_gd_ip_addresses', 'aws_gd_ip_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_remove_from_ipset: { required: ['aws_gd_ip_addresses', 'aws_gd_ip_set_id', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_unarchive_findings: { required: ['aws_gd_finding_ids', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_get_findings: { required: ['aws_gd_finding_ids', 'aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_list_findings: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_finding_criteria', 'aws_gd_max_results', 'aws_gd_next_token'] },
  aws_guardduty_create_sample_findings: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_finding_types'] },
  aws_guardduty_get_detector: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: [] },
  aws_guardduty_list_detectors: { required: ['aws_gd_region'], optional: [] },
  aws_guardduty_list_tags_for_resource: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_resource_arn'] },
  aws_guardduty_tag_resource: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_resource_arn', 'aws_gd_tags'] },
  aws_guardduty_untag_resource: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_resource_arn', 'aws_gd_tag_keys'] },
  aws_guardduty_update_detector: { required: ['aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_enable', 'aws_gd_finding_publishing_frequency', 'aws_gd_features'] },
  aws_guardduty_update_findings_feedback: { required: ['aws_gd_finding_ids', 'aws_gd_feedback', 'aws_gd_detector_id', 'aws_gd_region'], optional: ['aws_gd_comments'] },
};
const ALL = { ...IBM, ...RESPOND };

describe('function definitions', () => {
  it("are IBM's twelve functions and the fifteen of issue 13 on fn_aws_gd, with IBM's required and optional inputs", () => {
    expect(MESSAGE_DESTINATION).toMatchObject({ programmaticName: 'fn_aws_gd', destinationType: 0, expectAck: true });
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual(Object.keys(ALL).sort());
    for (const fn of FUNCTIONS) {
      const ibm = ALL[fn.name];
      expect(fn.destination, fn.name).toBe('fn_aws_gd');
      expect(requiredInputs(fn.name).sort(), fn.name).toEqual([...(ibm?.required ?? [])].sort());
      expect([...fn.inputs].sort(), fn.name).toEqual([...(ibm?.required ?? []), ...(ibm?.optional ?? [])].sort());
    }
    expect(FUNCTIONS.find((f) => f.name === 'func_aws_guardduty_refresh_finding')?.displayName).toBe('AWS GuardDuty: Refresh Finding');
    expect(FUNCTIONS.find((f) => f.name === 'func_aws_guardduty_archive_finding')?.displayName).toBe('AWS GuardDuty: Archive finding');
    expect(FUNCTIONS.find((f) => f.name === 'aws_guardduty_create_ipset')?.displayName).toBe('AWS GuardDuty: Create IPSet');
    expect(FUNCTIONS.find((f) => f.name === 'aws_guardduty_add_to_threatintelset')?.displayName).toBe('AWS GuardDuty: Add to threat list');
    expect(FUNCTIONS.find((f) => f.name === 'aws_guardduty_add_to_ipset')?.displayName).toBe('AWS GuardDuty: Add to trusted list');
  });

  it('give every input its input type, and aws_gd_format the six GuardDuty list formats', () => {
    expect(inputDefinition('incident_id').inputType).toBe('number');
    expect(inputDefinition('aws_gd_max_results').inputType).toBe('number');
    expect(inputDefinition('aws_gd_activate').inputType).toBe('boolean');
    expect(inputDefinition('aws_gd_new_activate').inputType).toBe('boolean');
    expect(inputDefinition('aws_gd_format')).toMatchObject({ inputType: 'select', required: true });
    expect(inputDefinition('aws_gd_format').values.map((v) => v.label)).toEqual(['TXT', 'STIX', 'OTX_CSV', 'ALIEN_VAULT', 'PROOF_POINT', 'FIRE_EYE']);
    expect(LIST_FORMATS).toHaveLength(6);
    expect(inputDefinition('aws_gd_location').inputType).toBe('text');
    expect(inputDefinition('aws_gd_ip_addresses')).toMatchObject({ inputType: 'textarea', required: true });
    expect(inputDefinition('aws_gd_feedback').values.map((v) => v.label)).toEqual(['USEFUL', 'NOT_USEFUL']);
    // Every input a function lists is defined, and every defined input is used.
    const used = new Set(FUNCTIONS.flatMap((f) => f.inputs));
    expect([...used].sort()).toEqual(FUNCTION_INPUTS.map((f) => f.name).sort());
    for (const f of FUNCTION_INPUTS) expect(f.tooltip.length, f.name).toBeGreaterThan(0);
  });

  it('derive unique uuids from names as resilient-sdk does (md5 of the string)', () => {
    const md5 = createHash('md5').update('fn_aws_guardduty').digest('hex');
    expect(uuidFromString('fn_aws_guardduty').replace(/-/g, '')).toBe(md5);
    expect(uuidFromString('fn_aws_guardduty')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const uuids = [
      MESSAGE_DESTINATION.uuid, ...FUNCTIONS.map((f) => f.uuid), ...FUNCTION_INPUTS.map((f) => f.uuid),
      ...FUNCTION_INPUTS.flatMap((f) => f.values.map((v) => v.uuid)),
    ];
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(uuids).toHaveLength(1 + 27 + 29 + 6 + 2 + 3);
    // Stable across releases: the uuid of a function depends on its name only.
    expect(FUNCTIONS[0]?.uuid).toBe(uuidFromString('fn_aws_guardduty/functions/func_aws_guardduty_refresh_finding'));
  });

  it('map to export.res objects whose view items are the inputs, by field uuid', () => {
    const refresh = FUNCTIONS[0];
    if (!refresh) throw new Error('no functions');
    const fn = functionObject(refresh);
    expect(fn).toMatchObject({ name: refresh.name, display_name: refresh.displayName, destination_handle: 'fn_aws_gd', export_key: refresh.name, uuid: refresh.uuid });
    expect((fn.view_items as { content: string; field_type: string }[]).map((v) => v.content)).toEqual(refresh.inputs.map((n) => inputDefinition(n).uuid));
    expect(functionFieldObject(inputDefinition('aws_gd_region'))).toMatchObject({ export_key: '__function/aws_gd_region', type_id: 11, prefix: null, input_type: 'text', required: 'always' });
    expect(functionFieldObject(inputDefinition('aws_gd_tags'))).not.toHaveProperty('required');
    const section = functionsExportSection();
    expect(section.message_destinations).toEqual([expect.objectContaining({ programmatic_name: 'fn_aws_gd', destination_type: 0, expect_ack: true })]);
    expect(section.functions).toHaveLength(27);
    expect(section.fields).toHaveLength(29);
    expect(IBM_PLAYBOOKS).toHaveLength(13);
  });
});
