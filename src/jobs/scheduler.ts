// Runs the sweeps on CRON_SCHEDULE (node-cron). One sweep at a time per process; across
// nodes, the Redis lock (when REDIS_URL is set) lets one node sweep while the others skip.
import cron, { type ScheduledTask } from 'node-cron';
import type { Redis } from '../db/redis';
import { LockUnavailableError, withLock } from './lock';
import { runSweeps, type SweepDeps, type SweepReport } from './sweeps';

export const SWEEP_LOCK_KEY = 'jobs:sweep:lock';
/** A holder that dies mid-sweep keeps the others out for at most this long; a live one extends it. */
const LOCK_TTL_MS = 15_000;

export interface Jobs {
  /** One sweep now (under the lock when Redis is configured); null when another node holds it. */
  runOnce(): Promise<SweepReport | null>;
  /** Starts the cron schedule (RUN_JOBS, or the clock process). */
  start(schedule: string): void;
  /** Stops the schedule and waits for a sweep in progress, so the store closes after it. */
  stop(): Promise<void>;
}

/** Told how each sweep went: `ran` with its report, `skipped` (another node held the lock) or `failed`. */
type SweepObserver = (outcome: 'ran' | 'skipped' | 'failed', report?: SweepReport) => void;

export function createJobs(deps: SweepDeps, redis?: Redis, lockKey = SWEEP_LOCK_KEY, observe?: SweepObserver): Jobs {
  let task: ScheduledTask | undefined;
  let running: Promise<unknown> | undefined;

  const runOnce = observed(observe, async () => {
    if (!redis) return runSweeps(deps);
    const r = await withLock(redis, lockKey, LOCK_TTL_MS, () => runSweeps(deps));
    return r.ran ? r.value : null;
  });

  const tick = () => {
    if (running) return; // the last sweep is still going: skip this beat
    running = runOnce()
      .then((report) => {
        if (report && (report.confirmExpired || report.payExpired || report.settleTimedOut || report.settledLeftovers || report.failed)) deps.log.info({ report }, 'sweep');
      })
      .catch((err) => {
        if (err instanceof LockUnavailableError) deps.log.warn({ err: err.message }, 'sweep skipped: the lock cannot be taken; retried next beat');
        else deps.log.error({ err }, 'sweep failed; retried next beat');
      })
      .finally(() => (running = undefined));
  };

  return {
    runOnce,
    start(schedule) {
      if (task) return;
      task = cron.schedule(schedule, tick, { name: 'sweep' });
    },
    async stop() {
      await task?.destroy();
      task = undefined;
      await running;
    },
  };
}

function observed(observe: SweepObserver | undefined, run: () => Promise<SweepReport | null>) {
  if (!observe) return run;
  return async () => {
    try {
      const report = await run();
      observe(report ? 'ran' : 'skipped', report ?? undefined);
      return report;
    } catch (err) {
      observe('failed');
      throw err;
    }
  };
}
