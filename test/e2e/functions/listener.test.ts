import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/commands/run.js';
import { statusCommand } from '../../../src/commands/status.js';
import { FunctionInputError, type FunctionHandler } from '../../../src/functions/function-types.js';
import { until } from '../../helpers/wait.js';
import { logLines, startHarness, type Harness, type HarnessOptions } from '../../helpers/harness.js';
import { startListenerWorld, stopListenerWorld, type ListenerWorld } from '../support/listener-world.js';

/**
 * The functions listener against the SOAR emulator's real STOMP 1.2 broker over TLS (CA verified),
 * the org read over REST by the real SOAR client, invocations recorded in a real SQLite file. The
 * handlers are tiny test functions passed in, so these tests are about the listener only.
 */

const REFRESH = 'func_aws_guardduty_refresh_finding';
const ARCHIVE = 'func_aws_guardduty_archive_finding';

let h: Harness | undefined;
afterEach(async () => {
  await stopListenerWorld();
  await h?.close();
  h = undefined;
});

/** A listener serving `handlers`; it backs off briefly, so that a dropped connection is made again soon. */
const start = (handlers: Record<string, FunctionHandler>, options: { harness?: HarnessOptions; config?: Record<string, string> } = {}): Promise<ListenerWorld> =>
  startListenerWorld({ ...options, handlers, extra: { backoff: { initialMs: 300, maxMs: 1_000 } } });

/** A gate a test handler waits on, opened by the test. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('the functions listener over the real broker', () => {
  it('answers an invocation with status messages, one v2 final reply and an ACK; inputs arrive normalised', async () => {
    const seen: unknown[] = [];
    const s = await start({
      [ARCHIVE]: async (call) => {
        seen.push(call.inputs);
        await call.status('archiving');
        return { success: true, reason: null, content: { status: 'ok' } };
      },
    });
    const { invocationId } = s.h.soar.invoke({
      function: ARCHIVE,
      inputs: { aws_gd_finding_id: 'abc', aws_gd_region: { id: 3, name: 'us-east-1' }, note: { format: 'text', content: 'why' }, absent: null },
    });
    const outcome = await s.h.soar.waitForInvocation(invocationId, { timeoutMs: 15_000 });
    expect(outcome).toMatchObject({ status: 'done', acked: true, deliveries: 1, finalReplies: 1 });
    expect(outcome.messages).toEqual([`Starting App Function: '${ARCHIVE}'`, 'archiving', `Finished running App Function: '${ARCHIVE}'`]);
    const inputs = { aws_gd_finding_id: 'abc', aws_gd_region: 'us-east-1', note: 'why', absent: null };
    expect(seen).toEqual([inputs]);
    expect(outcome.result).toMatchObject({
      message_type: 0, complete: true,
      results: { version: 2.0, success: true, reason: null, content: { status: 'ok' }, raw: null, inputs, metrics: { version: '1.0', package: 'guardduty-soar' } },
    });
    expect(s.listener.state()).toMatchObject({ status: 'connected', destination: `actions.${s.h.soar.orgId}.fn_aws_gd` });
    expect(s.app.store.invocations.summary()).toMatchObject({ byOutcome: { success: 1 }, last: { functionName: ARCHIVE, outcome: 'success' } });
    expect(await s.app.metrics.text()).toMatch(new RegExp(`guardduty_soar_function_invocations_total\\{function="${ARCHIVE}",outcome="success"\\} 1`));
  });

  it('answers an unknown function and a refused input with an error reply naming the problem, and ACKs both', async () => {
    const s = await start({
      [ARCHIVE]: (call) => {
        if (typeof call.inputs.aws_gd_region !== 'string') throw new FunctionInputError('aws_gd_region', 'an AWS region name such as us-east-1', call.inputs.aws_gd_region);
        return Promise.resolve({ success: true, reason: null, content: {} });
      },
    });
    s.h.soar.defineFunction({ name: 'fn_not_served_here', destination_handle: 'fn_aws_gd' });
    const unknown = s.h.soar.invoke({ function: 'fn_not_served_here', inputs: {} });
    const refused = s.h.soar.invoke({ function: ARCHIVE, inputs: { aws_gd_region: 42 } });
    const u = await s.h.soar.waitForInvocation(unknown.invocationId, { timeoutMs: 15_000 });
    const r = await s.h.soar.waitForInvocation(refused.invocationId, { timeoutMs: 15_000 });
    expect(u).toMatchObject({ status: 'error', acked: true, finalReplies: 1, result: { message_type: 1, complete: true } });
    expect((u.result as { message: string }).message).toMatch(/Unknown function "fn_not_served_here".*func_aws_guardduty_archive_finding/);
    expect(r).toMatchObject({ status: 'error', acked: true, finalReplies: 1, result: { message_type: 1, message: 'Input aws_gd_region: expected an AWS region name such as us-east-1, found 42' } });
    expect(s.app.store.invocations.summary().byOutcome.error).toBe(2);
  });

  it('an unexpected error in a function is an error reply with its message, ACKed', async () => {
    const s = await start({ [REFRESH]: () => Promise.reject(new Error('GuardDuty said no')) });
    const { invocationId } = s.h.soar.invoke({ function: REFRESH, inputs: { incident_id: 7 } });
    expect(await s.h.soar.waitForInvocation(invocationId, { timeoutMs: 15_000 })).toMatchObject({
      status: 'error', acked: true, result: { message_type: 1, message: `${REFRESH} failed: GuardDuty said no` },
    });
  });

  it('reconnects after a dropped connection; the un-ACKed message is redelivered and answered from SQLite without a second execution', async () => {
    const g = gate();
    let executions = 0;
    const s = await start({
      [REFRESH]: async () => {
        executions += 1;
        await g.wait;
        return { success: true, reason: null, content: { refreshed: true } };
      },
    });
    await until(() => s.listener.state().status === 'connected', 'connected');
    const { invocationId } = s.h.soar.invoke({ function: REFRESH, inputs: { incident_id: 7 } });
    await until(() => executions === 1, 'the function started');
    // The connection goes while the function runs; it finishes while the daemon is disconnected.
    expect(s.h.soar.dropStompConnections()).toBe(1);
    await until(() => s.listener.state().status === 'reconnecting', 'the drop was seen');
    g.open();
    const outcome = await s.h.soar.waitForInvocation(invocationId, { timeoutMs: 15_000 });
    expect(outcome).toMatchObject({ status: 'done', acked: true, deliveries: 2, finalReplies: 1, result: { results: { content: { refreshed: true } } } });
    expect(executions).toBe(1);
    expect(s.app.store.invocations.runs(outcome.messageId)).toBe(1);
    expect(s.listener.state()).toMatchObject({ status: 'connected', reconnects: 1 });
    expect(s.log().filter((l) => String(l.message).startsWith('STOMP connection to SOAR lost'))).toHaveLength(1);
    expect(s.log().some((l) => String(l.message).includes('answered with its recorded result'))).toBe(true);
    expect(await s.app.metrics.text()).toMatch(/guardduty_soar_stomp_reconnects_total 1/);
  });

  it('a redelivery that arrives while the function still runs is not run twice; the answer goes to the new delivery', async () => {
    const g = gate();
    let executions = 0;
    const s = await start({
      [REFRESH]: async () => {
        executions += 1;
        await g.wait;
        return { success: true, reason: null, content: {} };
      },
    });
    await until(() => s.listener.state().status === 'connected', 'connected');
    const { invocationId } = s.h.soar.invoke({ function: REFRESH, inputs: {} });
    await until(() => executions === 1, 'the function started');
    s.h.soar.dropStompConnections();
    await until(() => s.h.soar.invocation(invocationId)?.deliveries === 2, 'redelivered on the new connection');
    g.open();
    expect(await s.h.soar.waitForInvocation(invocationId, { timeoutMs: 15_000 })).toMatchObject({ status: 'done', acked: true, deliveries: 2, finalReplies: 1 });
    expect(executions).toBe(1);
  });

  it('a stop abandons a function still running at the deadline un-ACKed; the next start runs it again', async () => {
    let executions = 0;
    const s = await start({
      [REFRESH]: (call) => {
        executions += 1;
        // The first run only ends when the stop aborts it; the second finishes.
        if (executions > 1) return Promise.resolve({ success: true, reason: null, content: { run: executions } });
        return new Promise((_resolve, reject) => call.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
      },
    });
    await until(() => s.listener.state().status === 'connected', 'connected');
    const { invocationId } = s.h.soar.invoke({ function: REFRESH, inputs: {} });
    await until(() => executions === 1, 'the function started');
    expect(await s.listener.stop(200)).toBe('abandoned');
    expect(s.h.soar.invocation(invocationId)).toMatchObject({ status: 'pending', acked: false, finalReplies: 0 });
    expect(s.app.store.invocations.summary().byOutcome.unfinished).toBe(1);

    // The next start: a listener serving the same function on the same database.
    s.another(new Map([[REFRESH, s.handlers.get(REFRESH) as FunctionHandler]]));
    const outcome = await s.h.soar.waitForInvocation(invocationId, { timeoutMs: 15_000 });
    expect(outcome).toMatchObject({ status: 'done', acked: true, deliveries: 2, finalReplies: 1, result: { results: { content: { run: 2 } } } });
    expect(s.app.store.invocations.runs(outcome.messageId)).toBe(2);
  });

  it('runs at most num_workers functions at once', async () => {
    let running = 0;
    let most = 0;
    const s = await start(
      {
        [ARCHIVE]: async () => {
          running += 1;
          most = Math.max(most, running);
          // Yields long enough for every other delivered invocation to have been offered a worker.
          for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
          running -= 1;
          return { success: true, reason: null, content: {} };
        },
      },
      { config: { 'resilient.num_workers': '2', 'resilient.stomp_prefetch_limit': '10' } },
    );
    const ids = Array.from({ length: 8 }, () => s.h.soar.invoke({ function: ARCHIVE, inputs: {} }).invocationId);
    for (const id of ids) expect(await s.h.soar.waitForInvocation(id, { timeoutMs: 20_000 })).toMatchObject({ status: 'done', acked: true });
    expect(most).toBe(2);
  });

  it('with aws_gd_functions = false it never connects', async () => {
    const s = await start({}, { config: { aws_gd_functions: 'false' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.listener.state().status).toBe('disabled');
    expect(s.h.soar.stompConnections()).toHaveLength(0);
  });

  it('with the org\'s actions framework off it says so once and does not subscribe', async () => {
    const s = await start({}, { harness: { soar: { actionsFrameworkEnabled: false } } });
    await until(() => s.listener.state().status === 'framework-off', 'framework off');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.h.soar.stompConnections()).toHaveLength(0);
    expect(s.log().filter((l) => l.level === 'warn' && String(l.message).includes('actions framework turned off'))).toHaveLength(1);
  });
});

describe('run with the listener', () => {
  it('keeps polling while STOMP is unreachable, and stops cleanly', async () => {
    h = await startHarness({ findings: 0, config: { aws_gd_regions: '^us-east-1$' } });
    // A port nothing listens on: the listener keeps failing and retrying.
    h.configure({ 'resilient.stomp_port': '1', 'resilient.stomp_cafile': h.soar.caPath ?? '' });
    h.aws.generateFindings({ count: 2, region: 'us-east-1' });
    const io = h.io();
    let stop: (signal: string) => void = () => undefined;
    const running = runCommand(io, { config: h.configPath, healthHost: '127.0.0.1', signals: { onStop: (fn) => (stop = fn) } });
    await until(() => (h?.incidents().length ?? 0) === 2, 'both findings escalated');
    // The whole cycle, not only its creates: a SIGTERM stops a cycle in flight at its next safe point.
    await until(() => logLines(io.out()).some((l) => l.message === 'Cycle finished'), 'the cycle finished');
    await until(() => logLines(io.out()).some((l) => String(l.message).startsWith('STOMP connection to SOAR failed')), 'the listener failing');
    // status (SQLite only) shows the listener's state as the daemon recorded it.
    const statusIo = h.io();
    expect(statusCommand(statusIo, { config: h.configPath })).toBe(0);
    expect(statusIo.out()).toMatch(/SOAR functions: none\n {2}listener reconnecting since \S+, \d+ reconnects; last error: .*ECONNREFUSED/);
    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(logLines(io.out()).at(-1)).toMatchObject({ message: 'Stopped' });
  });
});
