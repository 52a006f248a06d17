import { expect } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { until } from '../../helpers/wait.js';
import { logLines, startHarness, type CapturedIo, type Harness, type HarnessOptions } from '../../helpers/harness.js';

/**
 * The daemon (`run`, in-process) subscribed to the SOAR emulator's STOMP broker over TLS, for tests
 * that invoke IBM's functions the way a playbook step does. One world at a time per test file:
 * `stopFunctionsRun` (in `afterEach`) stops the daemon and closes the emulators.
 */

export interface FunctionsRunOptions extends HarnessOptions {
  /** Wait for the first cycle to finish before answering (the default), or only for its start. */
  afterCycle?: boolean;
  /** Runs on the harness before the daemon starts (state to find, faults to meet). */
  before?: (h: Harness) => Promise<void>;
}

export interface FunctionReply {
  message_type: number;
  message?: string;
  results?: { success: boolean; reason: string | null; content: any };
}

let current: { h: Harness; stop?: () => Promise<number> } | undefined;

/** Starts `run` against the emulators; resolves once its first cycle is under way (or done, with `afterCycle`). */
export async function startFunctionsRun(options: FunctionsRunOptions = {}): Promise<{ h: Harness; io: CapturedIo }> {
  const h = await startHarness({ findings: 0, ...options, config: { aws_gd_regions: '^(us-east-1|eu-west-1)$', ...options.config } });
  current = { h };
  await options.before?.(h);
  h.configure({ 'resilient.stomp_port': String(h.soar.stompPort), 'resilient.stomp_cafile': h.soar.caPath ?? '' });
  const io = h.io();
  let stop: (signal: string) => void = () => undefined;
  const running = runCommand(io, { config: h.configPath, healthHost: '127.0.0.1', signals: { onStop: (fn) => (stop = fn) } });
  current.stop = () => {
    stop('SIGTERM');
    return running;
  };
  if (options.afterCycle ?? true) await until(() => logLines(io.out()).some((l) => l.message === 'Cycle finished'), 'the first cycle', { timeoutMs: 15_000 });
  return { h, io };
}

/** Stops the daemon started by `startFunctionsRun` and closes its emulators (for `afterEach`). */
export async function stopFunctionsRun(): Promise<void> {
  const started = current;
  current = undefined;
  await started?.stop?.();
  await started?.h.close();
}

/** Invokes a function as a playbook step does and waits for its final reply; answers `results` (or the error reply). */
export async function invoke(h: Harness, name: string, inputs: Record<string, unknown>): Promise<FunctionReply> {
  const { invocationId } = h.soar.invoke({ function: name, inputs });
  const outcome = await h.soar.waitForInvocation(invocationId, { timeoutMs: 20_000 });
  expect(outcome).toMatchObject({ acked: true, finalReplies: 1 });
  return outcome.result as never;
}

/** The function inputs naming a region and its detector. */
export const at = (h: Harness, region = 'us-east-1'): Record<string, string> => ({
  aws_gd_region: region, aws_gd_detector_id: h.aws.detectorsOf()[region] ?? '',
});

/** Like `invoke`, with the final reply as the broker received it (JSON text: floats such as `8.0` intact). */
export async function invokeRaw(h: Harness, name: string, inputs: Record<string, unknown>): Promise<{ reply: FunctionReply; text: string }> {
  const { invocationId } = h.soar.invoke({ function: name, inputs });
  const outcome = await h.soar.waitForInvocation(invocationId, { timeoutMs: 20_000 });
  expect(outcome).toMatchObject({ acked: true, finalReplies: 1 });
  return { reply: outcome.result as never, text: outcome.resultText ?? '' };
}
