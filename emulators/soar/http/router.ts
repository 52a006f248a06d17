import type { HttpMethod, RouteDef } from './types.js';

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
  /** The normalized operation used for call counts and fault rules, e.g. `PATCH /rest/orgs/{org}/incidents/{id}`. */
  operation: string;
}

interface CompiledRoute {
  route: RouteDef;
  segments: string[];
}

const ORG_PREFIX = /^\/rest\/orgs\/([^/]+)(\/.*)$/;

/**
 * Matches a request path to a route. Org routes are matched on the part after
 * `/rest/orgs/{org_id}`; the first route that matches wins, so literal paths such as
 * `/incidents/query` are listed before `/incidents/{id}`.
 */
export class Router {
  private readonly org: CompiledRoute[];
  private readonly absolute: CompiledRoute[];

  constructor(routes: readonly RouteDef[]) {
    const compile = (route: RouteDef): CompiledRoute => ({ route, segments: split(route.pattern) });
    this.org = routes.filter((r) => r.scope === 'org').map(compile);
    this.absolute = routes.filter((r) => r.scope === 'absolute').map(compile);
  }

  match(method: HttpMethod, rawPath: string): RouteMatch | undefined {
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
    const org = ORG_PREFIX.exec(path);
    if (org) {
      const found = find(this.org, method, split(org[2] ?? ''), '/rest/orgs/{org}');
      if (found) return { ...found, params: { ...found.params, org_id: decodeURIComponent(org[1] ?? '') } };
    }
    return find(this.absolute, method, split(path), '');
  }
}

function find(routes: readonly CompiledRoute[], method: HttpMethod, segments: string[], prefix: string): RouteMatch | undefined {
  for (const { route, segments: pattern } of routes) {
    if (route.method !== method || pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = pattern.every((p, i) => {
      const actual = segments[i] ?? '';
      if (p.startsWith('{') && p.endsWith('}')) {
        params[p.slice(1, -1)] = decodeURIComponent(actual);
        return true;
      }
      return p === actual;
    });
    if (matched) return { route, params, operation: `${method} ${prefix}${route.pattern}` };
  }
  return undefined;
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}
