import type { JsonObject } from '../protocol/wire.js';

/**
 * Runtime Monitoring coverage (ListCoverage, GetCoverageStatistics) and the administrator's view of
 * its members (ListMembers, GetMemberDetectors), as the state holds them; the handlers are in
 * `guardduty/coverage-handlers.ts`. [I] A detector has no coverage resources until the admin API
 * adds some; a member's relationship is `Enabled` until the admin API changes it.
 */

export interface CoverageResource {
  resourceId: string;
  /** The detector of the account that owns the resource. */
  detectorId: string;
  accountId: string;
  /** `ResourceDetails` in wire form (`resourceType` EKS, ECS or EC2, and its details). */
  resourceDetails: JsonObject;
  coverageStatus: 'HEALTHY' | 'UNHEALTHY';
  /** Why it is UNHEALTHY. */
  issue: string | undefined;
  /** Epoch ms. */
  updatedAt: number;
}

export class CoverageStore {
  private readonly byDetector = new Map<string, CoverageResource[]>();
  /** Member account → relationship status as its administrator sees it (default `Enabled`). */
  readonly relationships = new Map<string, string>();

  of(detectorId: string): CoverageResource[] {
    return this.byDetector.get(detectorId) ?? [];
  }

  /** Adds or replaces (same resource id) a resource in its detector's coverage. */
  put(resource: CoverageResource): void {
    const list = this.of(resource.detectorId).filter((r) => r.resourceId !== resource.resourceId);
    this.byDetector.set(resource.detectorId, [...list, resource]);
  }

  clear(detectorId?: string): void {
    if (detectorId === undefined) this.byDetector.clear();
    else this.byDetector.delete(detectorId);
  }
}
