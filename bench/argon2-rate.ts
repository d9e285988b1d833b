import argon2 from 'argon2';

/**
 * Measures how many argon2id verifications per second this process can do, with nothing else
 * running in it: the ceiling for logins. `run.ts` starts it pinned to the server's core and
 * with the server's libuv pool size, and reads one JSON line from stdout.
 *
 * Argument: JSON of `Argon2RateJob`.
 */

/** What to measure. */
export interface Argon2RateJob {
  hash: string;
  password: string;
  /** Verifications kept running at once. */
  concurrency: number;
  seconds: number;
}

/** What was measured. */
export interface Argon2RateResult {
  verifications: number;
  seconds: number;
  perSecond: number;
  /** Milliseconds per verification, as each caller saw it. */
  meanMs: number;
  /** CPU seconds this process used in all, start-up included. */
  processCpuSeconds: number;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as Argon2RateJob;

  // One verification first, outside the clock, so that the library is loaded and the hash
  // known to match.
  if (!(await argon2.verify(job.hash, job.password))) {
    throw new Error('The bench hash does not match the bench password.');
  }

  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(job.seconds * 1e9));
  let verifications = 0;
  let busyNs = 0n;
  const lane = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const before = process.hrtime.bigint();
      if (!(await argon2.verify(job.hash, job.password))) {
        throw new Error('A verification failed.');
      }
      busyNs += process.hrtime.bigint() - before;
      verifications += 1;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();

  const result: Argon2RateResult = {
    verifications,
    seconds,
    perSecond: verifications / seconds,
    meanMs: Number(busyNs) / 1e6 / verifications,
    processCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
