import type { ArtifactInput } from '../soar/case-system.js';
import { artifactKey } from '../store/fingerprints-repo.js';
import { hashArtifactType, type ArtifactTypeName } from './artifact-types.js';

/**
 * The artifacts of one finding as they are found, deduplicated by (type, value) as an incident
 * compares them (`artifactKey`: a DNS name in any case, with or without its trailing dot, is one),
 * keeping the first source, so a port equal to some other value is still a port. Each description
 * names the finding field the value came from, and may say in words what that field is (`about`).
 */
export class ArtifactList {
  readonly items: ArtifactInput[] = [];
  private readonly seen = new Set<string>();

  add(type: ArtifactTypeName, raw: unknown, path: string, about?: string): void {
    const value = artifactValue(type, raw);
    if (value === undefined) return;
    const key = artifactKey(type, value);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const description = `GuardDuty finding field ${path}`;
    this.items.push({ type, value, description: about === undefined ? description : `${description} (${about})` });
  }

  /** A digest as SOAR's MD5, SHA-1 or SHA-256 type, whichever its length says it is. */
  addHash(raw: unknown, path: string, about?: string): void {
    const type = hashArtifactType(raw);
    // Hex digests compare case-insensitively; one spelling keeps the dedupe and SOAR's lookups exact.
    if (type) this.add(type, (raw as string).toLowerCase(), path, about);
  }
}

function artifactValue(type: ArtifactTypeName, raw: unknown): string | undefined {
  if (type === 'Port' && typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value;
}
