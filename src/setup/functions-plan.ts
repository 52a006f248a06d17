import { FUNCTIONS, FUNCTION_INPUTS, MESSAGE_DESTINATION, inputDefinition, type FunctionDefinition, type FunctionInputDefinition } from '../functions/definitions.js';
import { destinationObject, functionFieldObject, functionObject } from '../functions/definitions-export.js';
import type { FunctionCatalog, FunctionFieldView, FunctionView, MessageDestinationView, SoarPrincipal } from '../soar/case-system.js';

/** What the org has of the functions' definitions, read once for `setup` and `check`. */
export interface FunctionsState {
  principal: SoarPrincipal;
  destinations: MessageDestinationView[];
  functions: FunctionView[];
  fields: FunctionFieldView[];
}

/** What the functions need in SOAR and do not find there, in creation order. */
export interface FunctionsGap {
  fields: FunctionInputDefinition[];
  /** The destination is missing (it is created with the principal as its member). */
  destination: boolean;
  /** The destination exists but the principal is not one of its members. */
  membership: MessageDestinationView | undefined;
  functions: FunctionDefinition[];
  /** Objects that exist with another definition: reported, never changed (they may be a customer's edits). */
  mismatched: string[];
}

export async function readFunctionsState(soar: FunctionCatalog): Promise<FunctionsState> {
  return {
    principal: await soar.whoAmI(),
    destinations: await soar.listMessageDestinations(),
    functions: await soar.listFunctions(),
    fields: await soar.listFunctionFields(),
  };
}

export function isMember(destination: MessageDestinationView, who: SoarPrincipal): boolean {
  return who.kind === 'apikey' ? destination.apiKeys.includes(String(who.handle)) : destination.users.includes(who.userId);
}

export function describePrincipal(who: SoarPrincipal): string {
  return who.kind === 'apikey' ? `API key (handle ${who.handle})` : `user ${who.userId}`;
}

export function findFunctionsGap(state: FunctionsState): FunctionsGap {
  const gap: FunctionsGap = { fields: [], destination: false, membership: undefined, functions: [], mismatched: [] };
  const fields = new Map(state.fields.map((f) => [f.name, f]));
  const fieldNameByUuid = new Map(state.fields.map((f) => [f.uuid, f.name]));
  for (const def of FUNCTION_INPUTS) {
    const existing = fields.get(def.name);
    if (!existing) gap.fields.push(def);
    else if (existing.inputType !== def.inputType) gap.mismatched.push(`function input ${def.name} is ${existing.inputType}, expected ${def.inputType}`);
    else {
      const missing = def.values.map((v) => v.label).filter((label) => !existing.values.includes(label));
      if (missing.length > 0) gap.mismatched.push(`function input ${def.name} lacks the values ${missing.join(', ')}`);
    }
  }
  const destination = state.destinations.find((d) => d.programmaticName === MESSAGE_DESTINATION.programmaticName);
  if (!destination) gap.destination = true;
  else if (!isMember(destination, state.principal)) gap.membership = destination;
  for (const def of FUNCTIONS) {
    const existing = state.functions.find((f) => f.name === def.name);
    if (!existing) {
      gap.functions.push(def);
      continue;
    }
    if (existing.destination !== def.destination) gap.mismatched.push(`function ${def.name} sends to ${existing.destination || 'no destination'}, expected ${def.destination}`);
    // Inputs are compared by name: an org that installed IBM's app has the same fields under other uuids.
    const inputs = new Set(existing.inputUuids.map((uuid) => fieldNameByUuid.get(uuid) ?? uuid));
    const lacking = def.inputs.filter((name) => !inputs.has(name));
    if (lacking.length > 0) gap.mismatched.push(`function ${def.name} lacks the inputs ${lacking.join(', ')}`);
  }
  return gap;
}

export function functionsGapIsEmpty(gap: FunctionsGap): boolean {
  return gap.fields.length + gap.functions.length === 0 && !gap.destination && !gap.membership;
}

/** One line per missing item, for `setup --dry-run`. */
export function describeFunctionsGap(gap: FunctionsGap, who: SoarPrincipal): string[] {
  const name = MESSAGE_DESTINATION.programmaticName;
  return [
    ...gap.fields.map((f) => `function input ${f.name} (${f.inputType}${f.required ? ', required' : ''})`),
    ...(gap.destination ? [`message destination ${name}, with the ${describePrincipal(who)} as a member`] : []),
    ...(gap.membership ? [`the ${describePrincipal(who)} as a member of message destination ${name}`] : []),
    ...gap.functions.map((f) => `function ${f.name} (${f.displayName})`),
  ];
}

/** Creates what is missing: fields → destination → functions (they refer to both) → the principal's membership. */
export async function applyFunctionsGap(soar: FunctionCatalog, state: FunctionsState, gap: FunctionsGap, onCreated: (line: string) => void): Promise<number> {
  let created = 0;
  const done = (line: string): void => {
    created += 1;
    onCreated(line);
  };
  for (const field of gap.fields) {
    await soar.createFunctionField({ name: field.name, body: functionFieldObject(field) });
    done(`created function input ${field.name}`);
  }
  const name = MESSAGE_DESTINATION.programmaticName;
  const who = describePrincipal(state.principal);
  let member = gap.membership;
  if (gap.destination) {
    const destination = await soar.createMessageDestination({ name, body: destinationObject(MESSAGE_DESTINATION) });
    done(`created message destination ${name}`);
    if (!isMember(destination, state.principal)) member = destination;
  }
  if (gap.functions.length > 0) {
    // Existing fields keep their uuids (IBM's, when its app installed them); new ones have ours.
    const uuids = new Map([...state.fields.map((f) => [f.name, f.uuid] as const), ...gap.fields.map((f) => [f.name, f.uuid] as const)]);
    for (const def of gap.functions) {
      await soar.createFunction({ name: def.name, body: functionObject(def, def.inputs.map((n) => uuids.get(n) ?? inputDefinition(n).uuid)) });
      done(`created function ${def.name} (${def.displayName})`);
    }
  }
  if (member) {
    await soar.addDestinationMember(member.id, state.principal);
    done(`added the ${who} to message destination ${name}`);
  }
  return created;
}
