import 'reflect-metadata';

import { spawnSync } from 'node:child_process';
import { createSecretKey, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

import argon2 from 'argon2';

import { loadConfig } from '../src/config';
import {
  assertNoServerErrors,
  measureLogins,
  measureStorm,
  measureTable,
  measureThroughput,
  type Rig,
} from './cases';
import { type BenchDatabase, createBenchDatabase } from './database';
import { type BenchMode, FULL, SMOKE } from './modes';
import { choosePinning, freePort, type Pinning, pinSelf, startServer, stopAll } from './processes';
import { canWatchCpu, QuietGuard, type Settling, waitUntilIdle } from './quiet';
import { type MemoryPoint, summarizeResults } from './results';
import { seriesOf } from './report';
import { imageRuntime } from './runtime';

/**
 * `npm run bench` (and `npm run bench:smoke`): starts the built service in production mode on
 * a database of its own, and a bare Apollo server for reference, pinned to one CPU; drives
 * both from load processes pinned to another; prints a table and writes the results as JSON.
 * Exits non-zero on any failed request or wrong answer, and zero when it only misses targets.
 * docs/performance.md says what each case means.
 */

// One password for every seeded user, hashed once with the service's parameters.
const PASSWORD = 'bench-password-2025';
const DIST = resolve(__dirname, '..');
const ROOT = resolve(DIST, '..');
const BARE_SCRIPT = join(__dirname, 'bare-server.js');
const SERVICE_SCRIPT = join(DIST, 'src', 'main.js');
const DEFAULT_THREAD_POOL = 4;
// A database server counts as done with the seeding below this much CPU.
const SETTLED_CORES = 0.05;
const SETTLE_BUDGET_SECONDS = 180;

async function main(): Promise<void> {
  const mode = process.argv.includes('--smoke') ? SMOKE : FULL;
  const started = Date.now();
  const machine = describeMachine();

  // The bench and its load processes share one CPU; the servers get another.
  const pinning = choosePinning();
  if (pinning) pinSelf(pinning.load);
  console.log(
    pinning
      ? `Pinning: servers and argon2 on CPU ${pinning.server}, load on CPU ${pinning.load}.`
      : 'Pinning: none (taskset or a second CPU is missing); figures are less reliable.',
  );

  const tempDir = mkdtempSync(join(tmpdir(), 'identity-bench-'));
  const database = await createBenchDatabase(process.env.DATABASE_URL, tempDir);
  const stopEverything = async (): Promise<void> => {
    await stopAll();
    await database.drop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers and removing the bench database.`);
      stopEverything().finally(() => process.exit(130));
    });
  }

  try {
    const results = await bench(mode, pinning, database, tempDir, machine);
    const durationSeconds = (Date.now() - started) / 1000;
    // A MySQL run keeps its own file, so that it never overwrites the SQLite figures.
    const output =
      database.kind === 'mysql' ? mode.output.replace(/\.json$/, '.mysql.json') : mode.output;
    writeFileSync(
      join(ROOT, output),
      `${JSON.stringify({ ...results, durationSeconds }, null, 2)}\n`,
    );
    console.log(`\nWrote ${output} after ${durationSeconds.toFixed(0)} s.`);
  } finally {
    await stopEverything();
  }
}

async function bench(
  mode: BenchMode,
  pinning: Pinning | undefined,
  database: BenchDatabase,
  tempDir: string,
  machine: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  await checkDisk(mode, database);

  // The service's environment, and the configuration it will read from it: the bench signs
  // tokens and hashes the seeded password with exactly these settings.
  const threadPoolSize = Number(process.env.UV_THREADPOOL_SIZE ?? DEFAULT_THREAD_POOL);
  const [servicePort, barePort] = [await freePort(), await freePort()];
  // The servers and the raw argon2 process run with the same libuv pool, and with the Node
  // and allocator settings of the Docker image.
  const common: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    UV_THREADPOOL_SIZE: String(threadPoolSize),
    ...imageRuntime(join(ROOT, 'Dockerfile'), process.env),
  };
  const serviceEnv: NodeJS.ProcessEnv = {
    ...common,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(servicePort),
    DATA_DIR: join(tempDir, 'data'),
    DATABASE_URL: database.url,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    LOG_LEVEL: 'warn',
    ...(process.env.ARGON2_MAX_CONCURRENT
      ? { ARGON2_MAX_CONCURRENT: process.env.ARGON2_MAX_CONCURRENT }
      : {}),
  };
  const config = loadConfig(serviceEnv);
  const { memoryCost, timeCost, parallelism } = config.argon2;
  const hash = await argon2.hash(PASSWORD, {
    type: argon2.argon2id,
    memoryCost,
    timeCost,
    parallelism,
  });

  console.log(`Seeding ${mode.smallTable.toLocaleString('en')} users into ${database.where}.`);
  await database.seed(config.database, 1, mode.smallTable, hash);

  const bare = await startServer({
    name: 'bare',
    script: BARE_SCRIPT,
    env: { ...common, NODE_ENV: 'production', PORT: String(barePort) },
    port: barePort,
    core: pinning?.server,
  });
  const service = await startServer({
    name: 'service',
    script: SERVICE_SCRIPT,
    env: serviceEnv,
    port: servicePort,
    core: pinning?.server,
  });
  const databasePid = await database.serverPid();
  const ownPids = (): number[] => [
    ...[bare, service].filter((server) => server.isRunning()).map((server) => server.pid),
    ...(databasePid === undefined ? [] : [databasePid]),
  ];
  if (!canWatchCpu()) console.log('No /proc/stat: runs disturbed by other processes go unseen.');
  const rig: Rig = {
    mode,
    pinning,
    config,
    key: createSecretKey(Buffer.from(config.tokens.secret, 'utf8')),
    hash,
    password: PASSWORD,
    threadPoolSize,
    runtimeEnv: common,
    bare,
    service,
    guard: new QuietGuard(ownPids, mode.quietBudgetSeconds, mode.attempts),
  };
  const memory: MemoryPoint[] = [];
  const noteMemory = (after: string): void => {
    memory.push({ after, rssMiB: service.rssMiB(), peakMiB: service.peakRssMiB() });
  };
  noteMemory('start');

  console.log('\nCases 1-3: bare { hello }; service { __typename }; me with rotating tokens.');
  const throughput = await measureThroughput(rig);
  noteMemory('cases 1-3');
  const barePeakMiB = bare.peakRssMiB();
  await bare.stop();

  console.log('\nCase 4: logins at saturation, next to raw argon2 verifications.');
  const logins = await measureLogins(rig);
  noteMemory('case 4');

  const meRate = Math.max(1, Math.round(seriesOf(throughput.me).throughput.median / 2));
  const loginRate = Math.max(1, Math.round(seriesOf(logins.logins).throughput.median / 2));
  console.log(
    `\nCase 5: me capped at ${meRate}/s, alone and with logins capped at ${loginRate}/s.`,
  );
  const storm = await measureStorm(rig, meRate, loginRate);
  noteMemory('case 5');

  console.log(`\nCase 6: me capped at ${meRate}/s, and logins one at a time, by table size.`);
  const small = await measureTable(rig, mode.smallTable, meRate);
  noteMemory('case 6, small table');
  console.log(`Seeding up to ${mode.largeTable.toLocaleString('en')} users.`);
  const seedStarted = Date.now();
  await database.seed(config.database, mode.smallTable + 1, mode.largeTable, hash);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  let settling: Settling | undefined;
  if (databasePid !== undefined) {
    settling = await waitUntilIdle(databasePid, SETTLED_CORES, SETTLE_BUDGET_SECONDS);
    console.log(describeSettling(settling));
  }
  const large = await measureTable(rig, mode.largeTable, meRate);
  noteMemory('case 6, large table');

  const servicePeakMiB = service.peakRssMiB();
  assertNoServerErrors(service);
  await service.stop();

  return summarizeResults({
    rig,
    machine,
    databaseKind: database.kind,
    throughput,
    logins,
    storm: { meRate, loginRate, runs: storm },
    tables: { small, large, seedSeconds, settling: settling ?? null },
    memory: { servicePeakMiB, barePeakMiB, service: memory },
  });
}

function describeSettling(settling: Settling | undefined): string {
  if (!settling) return "The database server's CPU use cannot be read here; not waiting for it.";
  const seconds = settling.seconds.toFixed(0);
  return settling.settled
    ? `The database server went quiet ${seconds} s after seeding.`
    : `The database server was still busy ${seconds} s after seeding; measuring anyway.`;
}

async function checkDisk(mode: BenchMode, database: BenchDatabase): Promise<void> {
  const free = await database.freeBytes();
  const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (free === undefined) {
    console.log(`Disk: cannot tell the free space for ${database.where}; going on.`);
    return;
  }
  console.log(`Disk: ${gib(free)} free for the database; ${gib(mode.diskBytesNeeded)} needed.`);
  if (free < mode.diskBytesNeeded) {
    throw new Error(
      `Only ${gib(free)} of disk is free where the ${mode.largeTable.toLocaleString('en')}-user table would go; it needs about ${gib(mode.diskBytesNeeded)}.`,
    );
  }
}

// The commit the built service came from, and whether its sources differed from it.
function describeSource(): Record<string, unknown> {
  const git = (args: string[]): string | undefined => {
    const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim() : undefined;
  };
  const changed = git(['status', '--porcelain', '--', 'src', 'package-lock.json']);
  return {
    commit: git(['rev-parse', 'HEAD']) ?? null,
    sourceChanged: changed === undefined ? null : changed !== '',
  };
}

function describeMachine(): Record<string, unknown> {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    // Read before the bench pins itself, so that it counts every CPU it may use.
    nproc: availableParallelism(),
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    ...describeSource(),
  };
}

main().catch((error: unknown) => {
  console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
