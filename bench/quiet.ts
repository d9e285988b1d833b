import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A measured value, with how much CPU other processes took while it was measured. */
export interface Guarded<T> {
  value: T;
  /** CPU used by processes that are not the bench's, in cores, averaged over the run. */
  foreignCores: number;
  /** 1 when the first try was clean. */
  attempts: number;
}

/** What a guarded task returns: its value and the CPU seconds of the children it ran. */
export interface TaskOutcome<T> {
  value: T;
  childCpuSeconds: number;
}

/**
 * Other processes on the machine (a test suite, a build) take CPU from the pinned server and
 * make a run slower for reasons that are not the service's. This guard waits for the machine
 * to be quiet before a run, measures the CPU that processes other than the bench's own took
 * during it, from /proc/stat, and repeats a run that was disturbed, within a time budget.
 */
export class QuietGuard {
  private readonly tick = clockTicksPerSecond();
  private waitedSeconds = 0;

  /**
   * @param ownPids the processes whose CPU is the bench's own (servers, database server)
   * @param budgetSeconds the most time spent waiting and repeating over the whole bench
   * @param maxAttempts the most tries of one run
   */
  constructor(
    private readonly ownPids: () => number[],
    private readonly budgetSeconds: number,
    private readonly maxAttempts: number,
    private readonly threshold = 0.1,
  ) {}

  /** Seconds spent waiting for quiet or repeating runs so far. */
  get spentSeconds(): number {
    return this.waitedSeconds;
  }

  /**
   * Runs `task` until a try is clean or the attempts or the budget run out, and returns the
   * least disturbed try.
   */
  async run<T>(label: string, task: () => Promise<TaskOutcome<T>>): Promise<Guarded<T>> {
    let best: Guarded<T> | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      await this.waitForQuiet();
      const started = Date.now();
      const before = this.sample();
      const outcome = await task();
      const after = this.sample();
      const seconds = (Date.now() - started) / 1000;

      const foreign = after.busy - before.busy - (after.own - before.own) - outcome.childCpuSeconds;
      const result = {
        value: outcome.value,
        foreignCores: Math.max(0, foreign / seconds),
        attempts: attempt,
      };
      if (!best || result.foreignCores < best.foreignCores) best = result;
      if (result.foreignCores <= this.threshold) return best;
      console.warn(
        `  (${label}: other processes took ${result.foreignCores.toFixed(2)} cores during the run)`,
      );
      if (attempt < this.maxAttempts && this.budgetLeft() > seconds) {
        this.waitedSeconds += seconds;
      } else {
        break;
      }
    }
    return best as Guarded<T>;
  }

  // Waits, within the budget, until other processes have used less than the threshold for
  // half a second. The bench's own processes are idle between runs, so all of it is theirs.
  private async waitForQuiet(): Promise<void> {
    let noted = false;
    while (this.budgetLeft() > 0) {
      const before = this.sample();
      await sleep(500);
      const after = this.sample();
      const foreign = (after.busy - before.busy - (after.own - before.own)) / 0.5;
      if (foreign <= this.threshold) return;
      if (!noted) {
        console.warn(`  (waiting: other processes are using ${foreign.toFixed(2)} cores)`);
        noted = true;
      }
      this.waitedSeconds += 0.5;
    }
  }

  private budgetLeft(): number {
    return this.budgetSeconds - this.waitedSeconds;
  }

  // CPU seconds busy on the whole machine, and used by the bench's own processes.
  private sample(): { busy: number; own: number } {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    // cpu user nice system idle iowait irq softirq steal ...: everything but idle and iowait.
    const ticks = fields.slice(1, 9).map(Number);
    const busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + ticks[7];
    const self = process.cpuUsage();
    let own = (self.user + self.system) / 1e6;
    for (const pid of this.ownPids()) own += processTicks(pid) / this.tick;
    return { busy: busy / this.tick, own };
  }
}

/** How waiting for a process to go quiet ended. */
export interface Settling {
  seconds: number;
  /** False when the budget ran out first. */
  settled: boolean;
}

/**
 * Waits until process `pid` has used under `maxCores` of CPU for two seconds in a row, or
 * `budgetSeconds` have passed; undefined when its CPU use cannot be read. After a bulk insert
 * a database server may go on merging indexes and writing pages for a while; measuring
 * meanwhile would charge that work to the requests. Only CPU is watched, not disk writes.
 */
export async function waitUntilIdle(
  pid: number,
  maxCores: number,
  budgetSeconds: number,
): Promise<Settling | undefined> {
  const tick = clockTicksPerSecond();
  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  let quietSeconds = 0;
  let before = readProcessTicks(pid);
  if (before === undefined) return undefined;
  while (quietSeconds < 2 && elapsed() < budgetSeconds) {
    await sleep(1000);
    const now = readProcessTicks(pid);
    if (now === undefined) return undefined;
    quietSeconds = (now - before) / tick < maxCores ? quietSeconds + 1 : 0;
    before = now;
  }
  return { seconds: elapsed(), settled: quietSeconds >= 2 };
}

/** Whether this machine lets the guard see CPU use (Linux /proc). */
export function canWatchCpu(): boolean {
  try {
    readFileSync('/proc/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}

function processTicks(pid: number): number {
  return readProcessTicks(pid) ?? 0;
}

// The CPU ticks a process has used, or undefined when /proc does not tell.
function readProcessTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces; utime and
    // stime are the 14th and 15th fields of the line.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

function clockTicksPerSecond(): number {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
