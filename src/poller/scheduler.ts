import cron, { type ScheduledTask } from 'node-cron';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../logging/logger.js';

export interface SchedulerOptions {
  /** Minutes between cycle starts (any positive number, not only divisors of 60); 0 = never. */
  intervalMinutes: number;
  runCycle: (signal: AbortSignal) => Promise<void>;
  clock: Clock;
  logger: Logger;
}

/**
 * The schedule, and only the schedule: the first cycle at once, then a cycle whenever the interval
 * has passed since the previous start. node-cron ticks every second and the due check is ours, so an
 * interval of 7 or 90 minutes is honoured exactly (a cron expression can only divide the hour).
 * Never two cycles at once: a due tick during a running cycle is logged as skipped.
 */
export class Scheduler {
  private task: ScheduledTask | undefined;
  private inFlight: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private lastStart: number | undefined;
  private skippedLogged = false;
  /** When the scheduler last ticked: `/healthz` uses it to know the scheduler is alive. */
  lastTickAt: number | undefined;
  lastCycleFinishedAt: number | undefined;
  lastCycleOk: boolean | undefined;
  /** When the last successful cycle finished: `/readyz` uses it. */
  lastSuccessAt: number | undefined;

  constructor(private readonly options: SchedulerOptions) {}

  get intervalMs(): number {
    return this.options.intervalMinutes * 60_000;
  }

  get running(): boolean {
    return this.inFlight !== undefined;
  }

  start(): void {
    this.lastTickAt = this.options.clock.now();
    if (this.options.intervalMinutes <= 0) {
      this.options.logger.warn('Polling is disabled (aws_gd_polling_interval = 0); serving health only');
    } else {
      this.startCycle();
    }
    this.task = cron.schedule('* * * * * *', () => this.tick(), { name: 'guardduty-soar' });
  }

  /**
   * Stops scheduling and tells the cycle in flight, at once, to take no new work (its signal): the
   * findings in flight finish. Resolves once that cycle has settled ('idle' when none ran). How long
   * to wait is the caller's to decide: at its deadline it closes the CallGate, which makes the
   * findings in flight stop between two API calls.
   */
  async stop(): Promise<'idle' | 'settled'> {
    await this.task?.stop();
    this.task = undefined;
    const running = this.inFlight;
    if (!running) return 'idle';
    this.controller?.abort();
    await running;
    return 'settled';
  }

  private tick(): void {
    const now = this.options.clock.now();
    this.lastTickAt = now;
    if (this.options.intervalMinutes <= 0 || this.lastStart === undefined) return;
    if (now - this.lastStart < this.intervalMs) return;
    if (this.inFlight) {
      if (!this.skippedLogged) {
        this.options.logger.warn('A cycle is due but the previous one is still running; skipping this tick', {
          runningForSeconds: Math.round((now - this.lastStart) / 1000),
        });
        this.skippedLogged = true;
      }
      return;
    }
    this.startCycle();
  }

  private startCycle(): void {
    const { clock, logger, runCycle } = this.options;
    this.lastStart = clock.now();
    this.skippedLogged = false;
    this.controller = new AbortController();
    this.inFlight = runCycle(this.controller.signal)
      .then(
        () => {
          this.lastCycleOk = true;
          this.lastSuccessAt = clock.now();
        },
        (err: unknown) => {
          this.lastCycleOk = false;
          logger.error('Cycle failed', { error: errorMessage(err) });
        },
      )
      .finally(() => {
        this.lastCycleFinishedAt = clock.now();
        this.inFlight = undefined;
      });
  }
}
