/**
 * Reads the GuardDuty SDK's own static schemas (the arrays exported as `Finding$` etc.) so tests can
 * compare the emulator's wire JSON with what the SDK makes of it, member by member.
 *
 * Schema encoding (smithy static schemas): a structure is `[3, ns, name, traits, memberNames,
 * memberSchemas]`, a list `[1, ns, name, traits, member]`, a map `[2, ns, name, traits, key, value]`, a
 * wrapped simple type `[0, ns, name, traits, type]`; a member is a bare schema or `[schema, traits]`
 * (traits carry `jsonName`); numbers are simple types: 4 = timestamp (epoch seconds in restJson1),
 * 64|x = list of x, 128|x = map of x; functions are lazy references.
 */

type Schema = unknown;

function resolve(schema: Schema): Schema {
  return typeof schema === 'function' ? (schema as () => Schema)() : schema;
}

function unwrapMember(member: Schema): { schema: Schema; jsonName: string | undefined } {
  if (Array.isArray(member) && member.length === 2) {
    const traits = member[1] as unknown;
    const jsonName = typeof traits === 'object' && traits !== null ? (traits as { jsonName?: string }).jsonName : undefined;
    return { schema: member[0], jsonName };
  }
  return { schema: member, jsonName: undefined };
}

function structMembers(schema: unknown[]): { name: string; jsonName: string; schema: Schema }[] {
  const names = schema[4] as string[];
  const members = schema[5] as Schema[];
  return names.map((name, i) => {
    const m = unwrapMember(members[i]);
    return { name, jsonName: m.jsonName ?? name, schema: m.schema };
  });
}

/** Converts wire JSON to the SDK's output shape (PascalCase names, timestamps as Dates). */
export function wireToSdk(schemaRef: Schema, value: unknown): unknown {
  const schema = resolve(schemaRef);
  if (value === undefined || value === null) return undefined;
  if (typeof schema === 'number') {
    if (schema === 4 || schema === 7) return new Date((value as number) * 1000);
    if ((schema & 64) !== 0 && Array.isArray(value)) return value.map((v) => wireToSdk(schema & ~64, v));
    return value;
  }
  const s = schema as unknown[];
  switch (s[0]) {
    case 3: {
      const out: Record<string, unknown> = {};
      for (const m of structMembers(s)) {
        const v = (value as Record<string, unknown>)[m.jsonName];
        if (v !== undefined && v !== null) out[m.name] = wireToSdk(m.schema, v);
      }
      return out;
    }
    case 1:
      return (value as unknown[]).map((v) => wireToSdk(unwrapMember(s[4]).schema, v));
    case 2:
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wireToSdk(unwrapMember(s[5]).schema, v)]));
    default:
      return wireToSdk(s[4], value);
  }
}

/** Wire keys that the SDK would ignore (not in the model): typos in the emulator's findings. */
export function unknownWireKeys(schemaRef: Schema, value: unknown, path = ''): string[] {
  const schema = resolve(schemaRef);
  if (value === null || typeof value !== 'object' || !Array.isArray(schema)) return [];
  const s = schema as unknown[];
  if (s[0] === 1) return (value as unknown[]).flatMap((v, i) => unknownWireKeys(unwrapMember(s[4]).schema, v, `${path}[${i}]`));
  if (s[0] === 0) return unknownWireKeys(s[4], value, path);
  if (s[0] !== 3) return [];
  const members = new Map(structMembers(s).map((m) => [m.jsonName, m.schema]));
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    members.has(k) ? unknownWireKeys(members.get(k), v, `${path}.${k}`) : [`${path}.${k}`],
  );
}

/**
 * A wire value with EVERY member of the schema filled in (down to `depth` structures), timestamps as
 * epoch seconds. Returns the value and the wire paths of its timestamp members.
 */
export function fillEverything(schemaRef: Schema, depth = 12, path = ''): { value: unknown; timestamps: string[] } {
  const schema = resolve(schemaRef);
  if (typeof schema === 'number') return fillSimple(schema, path);
  const s = schema as unknown[];
  if (s[0] === 0) return fillEverything(s[4], depth, path);
  if (s[0] === 1) {
    const inner = fillEverything(unwrapMember(s[4]).schema, depth, `${path}[]`);
    return { value: [inner.value], timestamps: inner.timestamps };
  }
  if (s[0] === 2) {
    const inner = fillEverything(unwrapMember(s[5]).schema, depth, `${path}{}`);
    return { value: { key: inner.value }, timestamps: inner.timestamps };
  }
  if (depth === 0) return { value: {}, timestamps: [] };
  const out: Record<string, unknown> = {};
  const timestamps: string[] = [];
  for (const m of structMembers(s)) {
    const filled = fillEverything(m.schema, depth - 1, `${path}.${m.jsonName}`);
    out[m.jsonName] = filled.value;
    timestamps.push(...filled.timestamps);
  }
  return { value: out, timestamps };
}

function fillSimple(type: number, path: string): { value: unknown; timestamps: string[] } {
  if (type === 4 || type === 7) return { value: 1_700_000_000, timestamps: [path] };
  if ((type & 64) !== 0) return { value: [fillSimple(type & ~64, path).value], timestamps: [] };
  if ((type & 128) !== 0) return { value: { key: fillSimple(type & ~128, path).value }, timestamps: [] };
  if (type === 1) return { value: 7, timestamps: [] };
  if (type === 2) return { value: true, timestamps: [] };
  if (type === 15) return { value: { doc: true }, timestamps: [] };
  return { value: 'x', timestamps: [] };
}
