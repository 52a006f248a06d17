import { EXPORT_FIELD_DEFAULTS, functionFieldObject } from '../functions/definitions-export.js';
import {
  APP_PACKAGE, FUNCTION, INPUT, functionDefinition, inputDefinition, uuidFromString,
  type FunctionDefinition, type FunctionName, type InputName,
} from '../functions/definitions.js';
import { escapeHtml } from '../incidents/html.js';
import { FIELD } from '../incidents/incident-fields.js';

/**
 * The example playbooks of the package: one manual playbook per function a responder starts by hand
 * (refresh, and the ten IPSet/ThreatIntelSet ones), under IBM's playbook names (reference §7.3), so
 * an org that had IBM's keeps the same menu items. Built from the function definitions: the
 * incident supplies region, detector, finding and incident id; every other input is a field of the
 * activation form. IBM's automatic archive and update playbooks are left out on purpose: the daemon
 * archives on close and refreshes on `aws_guardduty_trigger_refresh` itself, and a playbook would
 * do it a second time.
 *
 * Beyond IBM's, two manual playbooks on *IP Address* artifacts put the artifact's address on the
 * detector's threat list or trusted list in one click (issue 13): the artifact gives the address,
 * the incident its region and detector (the daemon finds the account from the detector), the
 * activation form the set id.
 */

/** Where an input comes from when the incident has it (python3 expressions of a SOAR playbook script). */
const FROM_INCIDENT: Partial<Record<InputName, string>> = {
  [INPUT.region]: 'incident.properties.aws_guardduty_region',
  [INPUT.detectorId]: 'incident.properties.aws_guardduty_detector_id',
  [INPUT.findingId]: 'incident.properties.aws_guardduty_finding_id',
  [INPUT.incidentId]: 'incident.id',
};

const LIST_OPERATIONS = ['create', 'delete', 'get', 'list', 'update'] as const;

/** On an artifact, the same incident inputs, and the address from the artifact. */
const FROM_ARTIFACT: Partial<Record<InputName, string>> = { ...FROM_INCIDENT, [INPUT.ipAddresses]: 'artifact.value' };

interface PlaybookSpec {
  name: string;
  fn: FunctionName;
  /** Default `incident`; `artifact` playbooks show on IP Address artifacts of GuardDuty incidents. */
  on?: 'incident' | 'artifact';
}

/** Playbook API name → the function it calls. */
export const MANUAL_PLAYBOOKS: readonly PlaybookSpec[] = [
  { name: 'example_aws_guardduty_refresh_finding_details_pb', fn: FUNCTION.refreshFinding },
  ...LIST_OPERATIONS.flatMap((op) => (['ipset', 'threatintelset'] as const).map((list) => ({
    name: `aws_guardduty_${op}_${list}_pb`,
    fn: `aws_guardduty_${op}_${list}` as FunctionName,
  }))),
  { name: 'aws_guardduty_add_to_threatintelset_pb', fn: FUNCTION.addToThreatIntelSet, on: 'artifact' },
  { name: 'aws_guardduty_add_to_ipset_pb', fn: FUNCTION.addToIpSet, on: 'artifact' },
];

/** The export.res `playbooks[]` entries. */
export function playbookObjects(): Record<string, unknown>[] {
  return MANUAL_PLAYBOOKS.map(({ name, fn, on = 'incident' }, i) => {
    const def = functionDefinition(fn);
    if (!def) throw new Error(`No function named ${fn}`);
    return playbookObject(name, def, i + 1, on);
  });
}

function playbookObject(name: string, def: FunctionDefinition, id: number, on: 'incident' | 'artifact'): Record<string, unknown> {
  const uuid = uuidFromString(`${APP_PACKAGE}/playbooks/${name}`);
  const handle = `playbook_${uuid.replace(/-/g, '_')}`;
  const from = on === 'artifact' ? FROM_ARTIFACT : FROM_INCIDENT;
  const formInputs = def.inputs.filter((input) => from[input] === undefined);
  const script = def.inputs.map((input) => `inputs.${input} = ${from[input] ?? `playbook.inputs.${input}`}`).join('\n');
  // An artifact playbook is the responder's own action, named as the menu item it is; incident ones are IBM's examples.
  const displayName = on === 'artifact' ? def.displayName : `Example: ${def.displayName}`;
  const started = on === 'artifact' ? 'an IP Address artifact of an incident' : 'an incident';
  const node = {
    inputs: {},
    pre_processing_script: script,
    pre_processing_script_language: 'python3',
    result_name: resultName(def),
  };
  return {
    activation_type: 'manual',
    content: { content_version: 1, xml: bpmn(handle, def, JSON.stringify(node)) },
    description: { format: 'text', content: `${def.description} Started by hand from ${started} that has a GuardDuty detector and region.` },
    display_name: displayName,
    export_key: name,
    field_type_handle: handle,
    fields_type: {
      type_id: 28,
      type_name: handle,
      display_name: displayName,
      export_key: handle,
      parent_types: ['__playbook'],
      uuid: uuidFromString(`${APP_PACKAGE}/playbooks/${name}/fields`),
      fields: Object.fromEntries(formInputs.map((input) => [input, formField(handle, input)])),
      actions: [], for_actions: false, for_custom_fields: false, for_notifications: false, for_workflows: false,
      properties: { can_create: false, can_destroy: false, for_who: [] }, scripts: [], tags: [],
    },
    id,
    is_deleted: false,
    is_locked: false,
    local_scripts: [],
    manual_settings: {
      activation_conditions: {
        logic_type: 'all',
        conditions: [
          ...(on === 'artifact' ? [{ evaluation_id: null, field_name: 'artifact.type', method: 'equals', type: null, value: 'IP Address' }] : []),
          ...[FIELD.detectorId, FIELD.region].map((field) => ({
            evaluation_id: null, field_name: `incident.properties.${field}`, method: 'has_a_value', type: null, value: null,
          })),
        ],
      },
      view_items: formInputs.map((input) => ({
        element: 'field_uuid', content: formFieldUuid(handle, input), field_type: handle, show_if: null, show_link_header: false, step_label: null,
      })),
    },
    name,
    object_type: on,
    status: 'enabled',
    tags: [],
    uuid,
    version: 1,
  };
}

/** IBM's output names: `output` for the refresh playbook, `response_output` for the list ones (§7.3). */
function resultName(def: FunctionDefinition): string {
  return def.name === FUNCTION.refreshFinding ? 'output' : 'response_output';
}

function formFieldUuid(handle: string, input: InputName): string {
  return uuidFromString(`${APP_PACKAGE}/${handle}/${input}`);
}

/** An activation-form field: the function input's definition, as a field of the playbook's type. */
function formField(handle: string, input: InputName): Record<string, unknown> {
  return {
    ...functionFieldObject(inputDefinition(input)),
    ...EXPORT_FIELD_DEFAULTS,
    export_key: `${handle}/${input}`,
    type_id: 28,
    uuid: formFieldUuid(handle, input),
  };
}

/** Start → the function → end; the function node carries its settings as JSON (escaped for XML). */
function bpmn(handle: string, def: FunctionDefinition, nodeJson: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:omgdc="http://www.omg.org/spec/DD/20100524/DC" xmlns:omgdi="http://www.omg.org/spec/DD/20100524/DI" xmlns:resilient="http://resilient.ibm.com/bpmn" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://www.camunda.org/test">',
    `<process id="${handle}" isExecutable="true" name="${escapeHtml(def.displayName)}">`,
    '<startEvent id="StartEvent_155asxm"><outgoing>Flow_start</outgoing></startEvent>',
    `<serviceTask id="ServiceTask_1" name="${escapeHtml(def.displayName)}" resilient:type="function">`,
    `<extensionElements><resilient:function uuid="${def.uuid}">${escapeHtml(nodeJson)}</resilient:function></extensionElements>`,
    '<incoming>Flow_start</incoming><outgoing>Flow_end</outgoing></serviceTask>',
    '<endEvent id="EndPoint_1"><incoming>Flow_end</incoming></endEvent>',
    '<sequenceFlow id="Flow_start" sourceRef="StartEvent_155asxm" targetRef="ServiceTask_1"/>',
    '<sequenceFlow id="Flow_end" sourceRef="ServiceTask_1" targetRef="EndPoint_1"/>',
    '</process>',
    diagram(handle),
    '</definitions>',
  ].join('');
}

/**
 * The BPMN diagram section IBM's playbooks carry (one shape per node, one edge per flow), so SOAR's
 * playbook designer draws the playbook as laid out here instead of an empty canvas. [I] The
 * coordinates: a left-to-right row, sizes as SOAR's designer draws these node kinds.
 */
function diagram(handle: string): string {
  const shape = (id: string, x: number, y: number, width: number, height: number): string =>
    `<bpmndi:BPMNShape bpmnElement="${id}" id="${id}_di"><omgdc:Bounds height="${height}" width="${width}" x="${x}" y="${y}"/></bpmndi:BPMNShape>`;
  const edge = (id: string, from: [number, number], to: [number, number]): string =>
    `<bpmndi:BPMNEdge bpmnElement="${id}" id="${id}_di"><omgdi:waypoint x="${from[0]}" y="${from[1]}"/><omgdi:waypoint x="${to[0]}" y="${to[1]}"/></bpmndi:BPMNEdge>`;
  return [
    `<bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane bpmnElement="${handle}" id="BPMNPlane_1">`,
    shape('StartEvent_155asxm', 100, 100, 36, 36),
    shape('ServiceTask_1', 200, 78, 160, 80),
    shape('EndPoint_1', 430, 100, 36, 36),
    edge('Flow_start', [136, 118], [200, 118]),
    edge('Flow_end', [360, 118], [430, 118]),
    '</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>',
  ].join('');
}
