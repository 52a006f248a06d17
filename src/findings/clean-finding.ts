import type { Finding } from './finding.js';
import { NUMERIC_MEMBERS } from './finding-model.js';

type Open = Record<string, unknown>;

/**
 * C0 controls but tab, newline and carriage return, DEL, C1 controls and lone UTF-16 surrogates: a
 * finding may carry them (a parser bug upstream, or an attacker who picked a user agent), and none
 * belongs in an incident name, a note, a table cell or an artifact. Each becomes U+FFFD, so a
 * responder sees that something was there.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(UNSAFE_TEXT, '\uFFFD');
}

/**
 * A finding as read from GuardDuty, made fit for SOAR once, where it enters the daemon (every read
 * goes through it, so templates, notes, rows, artifacts and function results all see the same): every
 * string and map key cleaned by `cleanText`, and a numeric string (`"Count": "14"`) where the model
 * says number turned into that number. Anything else in a numeric member is left for
 * `assertWellFormed` to refuse.
 */
export function cleanFinding(finding: Finding): Finding {
  return cleanValue(finding, NUMERIC_TREE) as Finding;
}

/** A finding with a member the daemon cannot read as the model types it: that finding alone is refused. */
export class MalformedFindingError extends Error {
  constructor(readonly findingId: string, readonly path: string, readonly valueType: string) {
    super(`Finding ${findingId}: ${path} is a ${valueType} where GuardDuty's model says number; `
      + 'this finding is not escalated and is retried with backoff (a later version GuardDuty sends is read again)');
    this.name = 'MalformedFindingError';
  }
}

/** Throws MalformedFindingError naming the first numeric member (model) that holds a non-number. */
export function assertWellFormed(finding: Finding): void {
  const bad = firstNonNumber(finding, NUMERIC_TREE, '');
  if (bad) throw new MalformedFindingError(finding.Id, bad.path, bad.type);
}

const NUMERIC_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** NUMERIC_MEMBERS as a tree of member names, so one walk of a finding visits only those branches. */
interface MemberNode { numeric: boolean; children: Map<string, MemberNode> }

const NUMERIC_TREE: MemberNode = (() => {
  const root: MemberNode = { numeric: false, children: new Map() };
  for (const path of NUMERIC_MEMBERS) {
    let node = root;
    for (const name of path.split('.')) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { numeric: false, children: new Map() }));
      node = child;
    }
    node.numeric = true;
  }
  return root;
})();

function cleanValue(value: unknown, node: MemberNode | undefined): unknown {
  if (typeof value === 'string') {
    const text = cleanText(value);
    return node?.numeric && NUMERIC_TEXT.test(text.trim()) ? Number(text.trim()) : text;
  }
  if (Array.isArray(value)) return value.map((item) => cleanValue(item, node));
  if (value !== null && typeof value === 'object') {
    const out: Open = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k)] = cleanValue(v, node?.children.get(k));
    return out;
  }
  return value;
}

function firstNonNumber(value: unknown, node: MemberNode, path: string): { path: string; type: string } | undefined {
  if (node.numeric) {
    if (value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value))) return undefined;
    return { path, type: Array.isArray(value) ? 'list' : typeof value === 'number' ? 'non-finite number' : typeof value };
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const bad = firstNonNumber(item, node, `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [name, child] of node.children) {
    if (!(name in value)) continue;
    const bad = firstNonNumber((value as Open)[name], child, path === '' ? name : `${path}.${name}`);
    if (bad) return bad;
  }
  return undefined;
}
