import { badRequest } from '../errors.js';
import type { NewArtifact } from '../state/artifact-store.js';
import type { SoarState } from '../state/soar-state.js';
import { isRecord } from '../util.js';
import { parseRichText } from '../values/rich-text.js';

/**
 * One artifact of a request: `type` as a name ("IP Address"), `{name}`, `{id}` or an id; `value`;
 * `description` as a string or `{format, content}`; optional hidden `properties`.
 */
export function readArtifactInput(state: SoarState, raw: unknown): NewArtifact {
  if (!isRecord(raw)) throw badRequest('An artifact must be an object with type and value.');
  const type = state.schema.artifactTypes.resolve(raw.type);
  if (!type) throw badRequest(`Unknown artifact type: ${JSON.stringify(raw.type) ?? 'undefined'}.`);
  const value = typeof raw.value === 'number' ? String(raw.value) : raw.value;
  if (typeof value !== 'string' || value.trim() === '') throw badRequest('An artifact needs a non-empty value.');
  const properties = raw.properties ?? null;
  if (properties !== null && !Array.isArray(properties)) throw badRequest("Invalid artifact 'properties': expected a list.");
  return { typeId: type.id, value, description: parseRichText(raw.description, 'description'), properties };
}
