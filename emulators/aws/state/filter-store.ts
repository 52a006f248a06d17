import type { JsonObject } from '../protocol/wire.js';

/** Saved finding filters per detector (the handlers are in `guardduty/filter-handlers.ts`). */

export interface Filter {
  name: string;
  description: string | undefined;
  action: 'NOOP' | 'ARCHIVE';
  rank: number;
  findingCriteria: JsonObject;
  tags: Record<string, string>;
}

export class FilterStore {
  private readonly byDetector = new Map<string, Map<string, Filter>>();

  get(detectorId: string, name: string): Filter | undefined {
    return this.byDetector.get(detectorId)?.get(name);
  }

  of(detectorId: string): Map<string, Filter> {
    const filters = this.byDetector.get(detectorId) ?? new Map<string, Filter>();
    this.byDetector.set(detectorId, filters);
    return filters;
  }
}
