import type { Detector } from './detector.js';
import type { WireFinding } from '../protocol/wire.js';

/**
 * Detectors and their findings. A finding belongs to exactly one detector (its account's, in its
 * region); an administrator's detector additionally sees the findings of its members' detectors in
 * the same region, as GuardDuty's multi-account view does.
 */

export class FindingsStore {
  private readonly detectors = new Map<string, Detector>();
  private readonly owner = new Map<string, Detector>();

  addDetector(detector: Omit<Detector, 'findings'>): Detector {
    if (this.detectorFor(detector.accountId, detector.region)) {
      throw new Error(`account ${detector.accountId} already has a detector in ${detector.region}`);
    }
    const created: Detector = { ...detector, findings: new Map() };
    this.detectors.set(created.id, created);
    return created;
  }

  detector(id: string): Detector | undefined {
    return this.detectors.get(id);
  }

  detectorFor(accountId: string, region: string): Detector | undefined {
    for (const d of this.detectors.values()) if (d.accountId === accountId && d.region === region) return d;
    return undefined;
  }

  allDetectors(): Detector[] {
    return [...this.detectors.values()];
  }

  /** Inserts or replaces (same id) a finding in its detector. */
  put(detector: Detector, finding: WireFinding): void {
    const previous = this.owner.get(finding.id);
    if (previous && previous !== detector) previous.findings.delete(finding.id);
    detector.findings.set(finding.id, finding);
    this.owner.set(finding.id, detector);
  }

  get(findingId: string): { detector: Detector; finding: WireFinding } | undefined {
    const detector = this.owner.get(findingId);
    const finding = detector?.findings.get(findingId);
    return detector && finding ? { detector, finding } : undefined;
  }

  delete(findingId: string): boolean {
    const detector = this.owner.get(findingId);
    this.owner.delete(findingId);
    return detector?.findings.delete(findingId) ?? false;
  }

  /** The detectors whose findings `detector` sees: itself, plus its members' in the same region. */
  viewOf(detector: Detector, memberAccountIds: readonly string[]): Detector[] {
    const members = memberAccountIds
      .map((id) => this.detectorFor(id, detector.region))
      .filter((d): d is Detector => d !== undefined);
    return [detector, ...members];
  }

  *all(): IterableIterator<WireFinding> {
    for (const d of this.detectors.values()) yield* d.findings.values();
  }

  count(): number {
    return this.owner.size;
  }
}
