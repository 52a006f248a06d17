import { prepare } from '../../../src/app/start.js';
import { createFunctionHandlers } from '../../../src/functions/handlers/index.js';
import type { FunctionInputs, FunctionOutcome } from '../../../src/functions/function-types.js';
import { buildApp, readAppConfig, type App } from '../../../src/app/app.js';
import { functionDeps } from '../../../src/app/function-deps.js';
import { runCycle, type CycleDeps } from '../../../src/poller/run-cycle.js';
import { startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';

/**
 * The SOAR function handlers called directly (no STOMP) against both emulators in-process: the
 * daemon's real app (SQLite, AWS SDK, SOAR client) prepared as `run` prepares it, and the same
 * CycleDeps shared by the handlers and the cycles, as the listener shares them.
 */
export interface HandlerWorld {
  h: Harness;
  app: App;
  deps: CycleDeps;
  /** Interim status texts sent by the handlers, in order. */
  statuses: string[];
  /** Calls one function as the listener would; `messageId` defaults to a fresh one. */
  invoke(name: string, inputs: FunctionInputs, messageId?: string): Promise<FunctionOutcome>;
  cycle(): Promise<void>;
  /** `aws_gd_region` and `aws_gd_detector_id` of a detector the emulator holds. */
  at(region?: string, account?: string): { aws_gd_region: string; aws_gd_detector_id: string };
  close(): Promise<void>;
}

export async function startHandlerWorld(options: HarnessOptions = {}): Promise<HandlerWorld> {
  const h = await startHarness({ findings: 0, ...options });
  const io = h.io();
  const app = buildApp(readAppConfig(io, h.configPath), io);
  const deps = await prepare(app);
  const handlers = createFunctionHandlers(() => Promise.resolve(functionDeps(deps)));
  const statuses: string[] = [];
  let sequence = 0;
  return {
    h, app, deps, statuses,
    invoke: (name, inputs, messageId) => {
      const handler = handlers.get(name);
      if (!handler) throw new Error(`no handler for ${name}`);
      sequence += 1;
      return handler({
        name, inputs, messageId: messageId ?? `ID:handler-test-${sequence}`, workflowInstanceId: undefined,
        status: (text) => {
          statuses.push(text);
          return Promise.resolve();
        },
        logger: app.logger, signal: new AbortController().signal,
      });
    },
    cycle: async () => {
      const report = await runCycle(deps);
      if (!report.ok) throw new Error(`cycle failed: ${JSON.stringify(report)}`);
    },
    at: (region = 'us-east-1', account) => {
      const detector = h.aws.detectorsOf(account)[region];
      if (!detector) throw new Error(`the emulator has no detector in ${region}`);
      return { aws_gd_region: region, aws_gd_detector_id: detector };
    },
    close: async () => {
      app.close();
      await h.close();
    },
  };
}
