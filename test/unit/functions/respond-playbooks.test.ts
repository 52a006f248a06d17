import { describe, expect, it } from 'vitest';
import { playbookObjects } from '../../../src/apphost/playbooks.js';
import { FUNCTION, functionDefinition } from '../../../src/functions/definitions.js';

type Json = Record<string, any>;

/** The node JSON a playbook's function step carries (XML-escaped in the BPMN). */
function stepOf(pb: Json): { fnUuid: string; script: string } {
  const m = /<resilient:function uuid="([^"]+)">([^<]*)</.exec(pb.content.xml as string);
  const node = JSON.parse(m![2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as Json;
  return { fnUuid: m![1], script: node.pre_processing_script as string };
}

describe('the one-click playbooks on IP Address artifacts', () => {
  it.each([
    { name: 'aws_guardduty_add_to_threatintelset_pb', fn: FUNCTION.addToThreatIntelSet, display: 'AWS GuardDuty: Add to threat list', setId: 'aws_gd_threat_intel_set_id' },
    { name: 'aws_guardduty_add_to_ipset_pb', fn: FUNCTION.addToIpSet, display: 'AWS GuardDuty: Add to trusted list', setId: 'aws_gd_ip_set_id' },
  ])('$display: the artifact\'s value, the incident\'s region and detector, the set id asked on the form', ({ name, fn, display, setId }) => {
    const pb = playbookObjects().find((p) => p.name === name) as Json;
    expect(pb).toMatchObject({ activation_type: 'manual', object_type: 'artifact', display_name: display, status: 'enabled' });
    expect(pb.manual_settings.activation_conditions.conditions).toEqual(expect.arrayContaining([
      expect.objectContaining({ field_name: 'artifact.type', method: 'equals', value: 'IP Address' }),
      expect.objectContaining({ field_name: 'incident.properties.aws_guardduty_detector_id', method: 'has_a_value' }),
      expect.objectContaining({ field_name: 'incident.properties.aws_guardduty_region', method: 'has_a_value' }),
    ]));
    const step = stepOf(pb);
    expect(step.fnUuid).toBe(functionDefinition(fn)?.uuid);
    expect(step.script.split('\n').sort()).toEqual([
      'inputs.aws_gd_detector_id = incident.properties.aws_guardduty_detector_id',
      'inputs.aws_gd_ip_addresses = artifact.value',
      'inputs.aws_gd_region = incident.properties.aws_guardduty_region',
      `inputs.${setId} = playbook.inputs.${setId}`,
    ].sort());
    expect(Object.keys(pb.fields_type.fields as Json)).toEqual([setId]);
  });

  it('leaves IBM\'s incident playbooks as they were', () => {
    const incident = playbookObjects().filter((p) => p.object_type === 'incident');
    expect(incident).toHaveLength(13);
    for (const pb of incident) expect(pb.display_name).toMatch(/^Example: AWS GuardDuty: /);
  });
});

describe('the incident playbooks of issue 21', () => {
  it.each([
    {
      name: 'aws_guardduty_start_malware_scan_pb', fn: FUNCTION.startMalwareScan, display: 'Example: AWS GuardDuty: Start malware scan', form: ['aws_gd_resource_arn'],
    },
    {
      name: 'aws_guardduty_suppress_like_this_pb', fn: FUNCTION.suppressLikeThis, display: 'Example: AWS GuardDuty: Suppress findings like this', form: ['aws_gd_suppress_by', 'aws_gd_dry_run'],
    },
  ])('$display: the incident gives its id, region and detector; the form asks for $form', ({ name, fn, display, form }) => {
    const pb = playbookObjects().find((p) => p.name === name) as Json;
    expect(pb).toMatchObject({ activation_type: 'manual', object_type: 'incident', display_name: display, status: 'enabled' });
    const step = stepOf(pb);
    expect(step.fnUuid).toBe(functionDefinition(fn)?.uuid);
    expect(step.script.split('\n').sort()).toEqual([
      'inputs.aws_gd_detector_id = incident.properties.aws_guardduty_detector_id',
      'inputs.aws_gd_region = incident.properties.aws_guardduty_region',
      'inputs.incident_id = incident.id',
      ...form.map((input) => `inputs.${input} = playbook.inputs.${input}`),
    ].sort());
    expect(Object.keys(pb.fields_type.fields as Json)).toEqual(form);
  });
});
