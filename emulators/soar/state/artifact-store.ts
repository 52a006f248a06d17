import type { RichText } from '../values/rich-text.js';
import type { ArtifactRecord, Principal } from './records.js';

export interface NewArtifact {
  typeId: number;
  value: string;
  description: RichText | null;
  properties: unknown[] | null;
}

/**
 * Artifacts per incident. SOAR (v37.1+) does not create the same (type, value) twice on one incident;
 * [I] the existing artifact is answered instead, which the contract leaves undocumented.
 */
export class ArtifactStore {
  private byIncident = new Map<number, ArtifactRecord[]>();
  private byKey = new Map<string, ArtifactRecord>();
  private byId = new Map<number, ArtifactRecord>();
  private nextId = 1;

  find(incidentId: number, typeId: number, value: string): ArtifactRecord | undefined {
    return this.byKey.get(key(incidentId, typeId, value));
  }

  add(incidentId: number, input: NewArtifact, creator: Principal, now: number): ArtifactRecord {
    const existing = this.find(incidentId, input.typeId, input.value);
    if (existing) return existing;
    const artifact: ArtifactRecord = { id: this.nextId++, incidentId, ...input, created: now, creator };
    const list = this.byIncident.get(incidentId) ?? [];
    list.push(artifact);
    this.byIncident.set(incidentId, list);
    this.byKey.set(key(incidentId, input.typeId, input.value), artifact);
    this.byId.set(artifact.id, artifact);
    return artifact;
  }

  list(incidentId: number): readonly ArtifactRecord[] {
    return this.byIncident.get(incidentId) ?? [];
  }

  get(incidentId: number, id: number): ArtifactRecord | undefined {
    const artifact = this.byId.get(id);
    return artifact?.incidentId === incidentId ? artifact : undefined;
  }

  count(): number {
    return this.byId.size;
  }

  dropIncident(incidentId: number): void {
    for (const a of this.byIncident.get(incidentId) ?? []) {
      this.byId.delete(a.id);
      this.byKey.delete(key(incidentId, a.typeId, a.value));
    }
    this.byIncident.delete(incidentId);
  }

  clear(): void {
    this.byIncident = new Map();
    this.byKey = new Map();
    this.byId = new Map();
  }
}

function key(incidentId: number, typeId: number, value: string): string {
  return `${incidentId}\u0000${typeId}\u0000${value}`;
}
