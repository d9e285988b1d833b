/** How long and how big a bench run is. */
export interface BenchMode {
  name: 'full' | 'smoke';
  /** Where the results go, relative to the project root. */
  output: string;
  /** Each measured case runs this many times; medians and ranges are reported. */
  repetitions: number;
  /** Seconds of load per measured run, and per unmeasured warm-up run. */
  runSeconds: number;
  warmupSeconds: number;
  /** Users in the table for cases 1 to 5 and the first half of case 6, and the second half. */
  smallTable: number;
  largeTable: number;
  /** Distinct users whose tokens or emails rotate through a run; spread over the table. */
  rotatingUsers: number;
  /** Connections for the runs at saturation, for the fixed-rate runs and for logins. */
  saturationConnections: number;
  fixedRateConnections: number;
  loginConnections: number;
  /** Bytes of free disk the database needs, with room for the write-ahead log. */
  diskBytesNeeded: number;
  /** Tries of a run disturbed by other processes, and the most seconds spent on waiting. */
  attempts: number;
  quietBudgetSeconds: number;
}

export const FULL: BenchMode = {
  name: 'full',
  output: 'bench/results.json',
  // Many short repetitions rather than a few long ones: on a shared or virtual machine the
  // speed of a CPU drifts by tens of percent over seconds, and interleaving cancels it.
  repetitions: 8,
  runSeconds: 6,
  // Long enough for V8 to have optimized the hot paths: shorter warm-ups left the first
  // measured runs 20-50% slower on the machine of docs/performance.md.
  warmupSeconds: 12,
  smallTable: 10_000,
  largeTable: 1_000_000,
  rotatingUsers: 2_000,
  saturationConnections: 10,
  fixedRateConnections: 10,
  loginConnections: 4,
  diskBytesNeeded: 2 * 1024 ** 3,
  attempts: 3,
  quietBudgetSeconds: 300,
};

export const SMOKE: BenchMode = {
  name: 'smoke',
  output: 'bench/results.smoke.json',
  repetitions: 1,
  runSeconds: 1,
  warmupSeconds: 0.5,
  smallTable: 2_000,
  largeTable: 5_000,
  rotatingUsers: 1_000,
  saturationConnections: 10,
  fixedRateConnections: 10,
  loginConnections: 4,
  diskBytesNeeded: 64 * 1024 ** 2,
  // Smoke runs check that everything works; they never wait for a quiet machine.
  attempts: 1,
  quietBudgetSeconds: 0,
};
