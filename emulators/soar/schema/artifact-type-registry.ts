import { badRequest } from '../errors.js';
import { isRecord } from '../util.js';
import { BUILTIN_ARTIFACT_TYPES } from './builtin-artifact-types.js';
import { fixedUuid } from './builtin-incident-fields.js';

export interface ArtifactTypeDef {
  id: number;
  /** The programmatic name used in handles and in `handle_format=names` output. */
  apiName: string;
  label: string;
  description: string;
  enabled: boolean;
  system: boolean;
  uuid: string;
}

export interface NewArtifactTypeInput {
  apiName: string;
  label?: string;
  description?: string;
  enabled?: boolean;
}

/** Built-in artifact types (ids 1…) plus the custom ones `setup` creates (ids from 1000). */
export class ArtifactTypeRegistry {
  private readonly byId = new Map<number, ArtifactTypeDef>();
  private nextId = 1000;

  constructor() {
    BUILTIN_ARTIFACT_TYPES.forEach((name, i) => {
      const id = i + 1;
      this.byId.set(id, { id, apiName: name, label: name, description: '', enabled: true, system: true, uuid: fixedUuid(4, id) });
    });
  }

  /** Resolves a handle: id, programmatic or display name, `{id}` or `{name}`. */
  resolve(handle: unknown): ArtifactTypeDef | undefined {
    if (isRecord(handle)) return this.resolve(handle.id ?? handle.name);
    if (typeof handle === 'number') return this.byId.get(handle);
    if (typeof handle !== 'string') return undefined;
    if (/^\d+$/.test(handle)) return this.byId.get(Number(handle));
    const all = [...this.byId.values()];
    return all.find((t) => t.apiName === handle) ?? all.find((t) => t.label === handle);
  }

  list(): ArtifactTypeDef[] {
    return [...this.byId.values()];
  }

  add(input: NewArtifactTypeInput): ArtifactTypeDef {
    if (!input.apiName.trim()) throw badRequest('An artifact type needs a programmatic_name.');
    if (this.resolve(input.apiName)) throw badRequest(`An artifact type named '${input.apiName}' already exists.`);
    const id = this.nextId++;
    const type: ArtifactTypeDef = {
      id,
      apiName: input.apiName,
      label: input.label ?? input.apiName,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      system: false,
      uuid: fixedUuid(4, id),
    };
    this.byId.set(id, type);
    return type;
  }

  /** Only custom types can be deleted. */
  delete(handle: string): boolean {
    const type = this.resolve(handle);
    return type !== undefined && !type.system && this.byId.delete(type.id);
  }
}
