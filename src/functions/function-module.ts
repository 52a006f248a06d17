import type { FunctionDefinition } from './function-definition.js';
import type { PreparedFunctionDeps } from './function-deps.js';
import type { FunctionHandler } from './function-types.js';

/**
 * One SOAR function, as n8n lays out a node: its definition (what `setup` creates in SOAR and the
 * App Host package exports) beside the code that answers it. One per file, under
 * `handlers/<resource>/<verb>.ts`.
 */
export interface FunctionModule {
  definition: FunctionDefinition;
  handler(deps: PreparedFunctionDeps): FunctionHandler;
}
