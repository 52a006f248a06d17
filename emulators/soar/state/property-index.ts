/**
 * An index of text custom-field values → incident ids, so that the daemon's lookups by finding id
 * (`properties.aws_guardduty_finding_id equals …`) stay cheap with tens of thousands of incidents.
 */
export class PropertyIndex {
  private readonly byField = new Map<string, Map<string, Set<number>>>();

  update(id: number, before: Record<string, unknown> | undefined, after: Record<string, unknown>): void {
    const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
    for (const name of names) {
      const old = before?.[name];
      const now = after[name];
      if (old === now) continue;
      if (typeof old === 'string') this.byField.get(name)?.get(old)?.delete(id);
      if (typeof now === 'string') {
        const values = this.byField.get(name) ?? new Map<string, Set<number>>();
        this.byField.set(name, values);
        const ids = values.get(now) ?? new Set<number>();
        values.set(now, ids);
        ids.add(id);
      }
    }
  }

  /** Ids of incidents whose field holds exactly this string. */
  lookup(field: string, value: string): ReadonlySet<number> {
    return this.byField.get(field)?.get(value) ?? new Set();
  }

  dropField(name: string): void {
    this.byField.delete(name);
  }

  clear(): void {
    this.byField.clear();
  }
}
