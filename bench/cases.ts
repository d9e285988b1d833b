import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';

import jwt from 'jsonwebtoken';

import type { Config } from '../src/config';
import type { Argon2RateJob, Argon2RateResult } from './argon2-rate';
import { benchUser } from './database';
import type { LoadJob, LoadMessage, LoadReport, LoadStream, RequestPlan } from './load-job';
import type { BenchMode } from './modes';
import { exchange, type Pinning, runScript, type ServerProcess } from './processes';
import type { QuietGuard } from './quiet';
import { figuresOf, type RunFigures } from './report';

/** Everything a case needs to reach the servers and to make valid requests. */
export interface Rig {
  mode: BenchMode;
  pinning: Pinning | undefined;
  /** The service's configuration, read from the same environment it is started with. */
  config: Config;
  /** The service's token key, to sign tokens as it does. */
  key: KeyObject;
  /** The one password hash every seeded user has, and its password. */
  hash: string;
  password: string;
  threadPoolSize: number;
  /** PATH, UV_THREADPOOL_SIZE and allocator settings, shared by the servers and argon2. */
  runtimeEnv: NodeJS.ProcessEnv;
  bare: ServerProcess;
  service: ServerProcess;
  guard: QuietGuard;
}

/** Cases 1 to 3. */
export interface ThroughputRuns {
  bare: RunFigures[];
  typename: RunFigures[];
  me: RunFigures[];
  /**
   * Case 3 over case 1 with both servers loaded at once, sharing their CPU: the ratio of
   * their costs per request, untouched by drifts of the machine's speed.
   */
  pairedMeVsBare: number[];
}

/** A raw argon2 measurement, with how disturbed it was. */
export interface RawRate {
  perSecond: number;
  meanMs: number;
  foreignCores: number;
  attempts: number;
}

/** Case 4. */
export interface LoginRuns {
  logins: RunFigures[];
  /** With as many verifications at once as the service allows, and as libuv has threads. */
  rawAtLimit: RawRate[];
  rawAtPool: RawRate[];
}

/** One repetition of case 5. */
export interface StormRun {
  idle: RunFigures;
  me: RunFigures;
  logins: RunFigures;
}

/** Case 6 for one table size. */
export interface TableRuns {
  users: number;
  me: RunFigures[];
  logins: RunFigures[];
}

const LOAD_SCRIPT = join(__dirname, 'load.js');
const ARGON2_SCRIPT = join(__dirname, 'argon2-rate.js');

/**
 * Cases 1 to 3, one repetition of each in turn, so that a slow patch of the machine touches
 * all three alike.
 */
export async function measureThroughput(rig: Rig): Promise<ThroughputRuns> {
  const { mode } = rig;
  const hello = plainQuery('{ hello }', { hello: 'world' });
  const typename = plainQuery('{ __typename }', { __typename: 'Query' });
  const cases: [
    'bare' | 'typename' | 'me',
    (seconds: number, measured: boolean) => Promise<RunFigures>,
  ][] = [
    ['bare', (s, m) => saturate(rig, 'bare', rig.bare.url, hello, s, m)],
    ['typename', (s, m) => saturate(rig, 'typename', rig.service.url, typename, s, m)],
    ['me', (s, m) => saturate(rig, 'me', rig.service.url, mePlan(rig, mode.smallTable), s, m)],
  ];
  const runs: ThroughputRuns = { bare: [], typename: [], me: [], pairedMeVsBare: [] };
  const paired = (seconds: number): LoadStream[] => [
    {
      name: 'bare',
      url: rig.bare.url,
      connections: mode.saturationConnections,
      durationSeconds: seconds,
      plan: hello,
    },
    {
      name: 'me',
      url: rig.service.url,
      connections: mode.saturationConnections,
      durationSeconds: seconds,
      plan: mePlan(rig, mode.smallTable),
    },
  ];

  for (const [, run] of cases) await run(mode.warmupSeconds, false);
  for (let i = 0; i < mode.repetitions; i += 1) {
    for (const [name, run] of cases) {
      const figures = await run(mode.runSeconds, true);
      runs[name].push(figures);
      console.log(
        `  ${name.padEnd(8)} ${figures.throughput.toFixed(0).padStart(6)} req/s, ` +
          `p99 ${figures.p99.toFixed(2)} ms`,
      );
    }
    const [bare, me] = await load(rig, paired(mode.runSeconds));
    runs.pairedMeVsBare.push(me.throughput / bare.throughput);
    console.log(`  paired   me/bare ${(me.throughput / bare.throughput).toFixed(3)}`);
  }
  assertNoServerErrors(rig.service);
  return runs;
}

/**
 * Case 4: logins at saturation, each repetition next to two raw argon2 measurements. The
 * faster of the two raw rates is the ceiling logins are compared with.
 */
export async function measureLogins(rig: Rig): Promise<LoginRuns> {
  const { mode } = rig;
  const plan = loginPlan(rig, mode.smallTable);
  const limit = rig.config.argon2.maxConcurrent;
  const connections = mode.loginConnections;
  const runs: LoginRuns = { logins: [], rawAtLimit: [], rawAtPool: [] };

  await saturate(rig, 'logins', rig.service.url, plan, mode.warmupSeconds, false, connections);
  for (let i = 0; i < mode.repetitions; i += 1) {
    const atLimit = await rawArgon2(rig, limit);
    const atPool = await rawArgon2(rig, rig.threadPoolSize);
    const logins = await saturate(
      rig,
      'logins',
      rig.service.url,
      plan,
      mode.runSeconds,
      true,
      connections,
    );
    runs.rawAtLimit.push(atLimit);
    runs.rawAtPool.push(atPool);
    runs.logins.push(logins);
    console.log(
      `  argon2 ${atLimit.perSecond.toFixed(1)}/s at ${limit}, ` +
        `${atPool.perSecond.toFixed(1)}/s at ${rig.threadPoolSize}; ` +
        `logins ${logins.throughput.toFixed(1)}/s, p50 ${logins.p50.toFixed(1)} ms`,
    );
  }
  assertNoServerErrors(rig.service);
  return runs;
}

/**
 * Case 5: me at a fixed rate alone, then with logins arriving at the same time from a second
 * autocannon instance, in turn.
 */
export async function measureStorm(
  rig: Rig,
  meRate: number,
  loginRate: number,
): Promise<StormRun[]> {
  const { mode } = rig;
  const me = (seconds: number): LoadStream => cappedMe(rig, meRate, mode.smallTable, seconds);
  const logins = (seconds: number): LoadStream => ({
    name: 'logins',
    url: rig.service.url,
    connections: Math.min(mode.loginConnections, loginRate),
    durationSeconds: seconds,
    overallRate: loginRate,
    plan: loginPlan(rig, mode.smallTable),
  });
  const runs: StormRun[] = [];

  await load(rig, [me(mode.warmupSeconds), logins(mode.warmupSeconds)], false);
  for (let i = 0; i < mode.repetitions; i += 1) {
    const [idle] = await load(rig, [me(mode.runSeconds)]);
    const [withLogins, loginFigures] = await load(rig, [
      me(mode.runSeconds),
      logins(mode.runSeconds),
    ]);
    runs.push({ idle, me: withLogins, logins: loginFigures });
    console.log(
      `  me alone ${idle.throughput.toFixed(0)}/s, p99 ${idle.p99.toFixed(2)} ms; ` +
        `with logins ${withLogins.throughput.toFixed(0)}/s, p99 ${withLogins.p99.toFixed(2)} ms ` +
        `(${loginFigures.throughput.toFixed(1)} logins/s)`,
    );
  }
  assertNoServerErrors(rig.service);
  return runs;
}

/**
 * Case 6 for the table as it is now: me at the fixed rate of case 5, and logins one at a
 * time, so that their latency is the work of one login and not time spent in a queue.
 */
export async function measureTable(rig: Rig, users: number, meRate: number): Promise<TableRuns> {
  const { mode } = rig;
  const me = (seconds: number): LoadStream => cappedMe(rig, meRate, users, seconds);
  const logins = (seconds: number): LoadStream => ({
    name: 'logins',
    url: rig.service.url,
    connections: 1,
    durationSeconds: seconds,
    plan: loginPlan(rig, users),
  });
  const runs: TableRuns = { users, me: [], logins: [] };

  await load(rig, [me(mode.warmupSeconds)], false);
  await load(rig, [logins(mode.warmupSeconds)], false);
  for (let i = 0; i < mode.repetitions; i += 1) {
    const [meFigures] = await load(rig, [me(mode.runSeconds)]);
    const [loginFigures] = await load(rig, [logins(mode.runSeconds)]);
    runs.me.push(meFigures);
    runs.logins.push(loginFigures);
    console.log(
      `  ${users.toLocaleString('en')} users: me p50 ${meFigures.p50.toFixed(2)} ms, ` +
        `p99 ${meFigures.p99.toFixed(2)} ms; login p50 ${loginFigures.p50.toFixed(1)} ms, ` +
        `p99 ${loginFigures.p99.toFixed(1)} ms`,
    );
  }
  assertNoServerErrors(rig.service);
  return runs;
}

/** Fails the bench when a server logged anything at error level. */
export function assertNoServerErrors(server: ServerProcess): void {
  if (server.errorLines.length > 0) {
    throw new Error(
      `The ${server.name} server logged errors:\n${server.errorLines.slice(0, 5).join('\n')}`,
    );
  }
}

function saturate(
  rig: Rig,
  name: string,
  url: string,
  plan: RequestPlan,
  seconds: number,
  measured: boolean,
  connections = rig.mode.saturationConnections,
): Promise<RunFigures> {
  const stream = { name, url, connections, durationSeconds: seconds, plan };
  return load(rig, [stream], measured).then(([figures]) => figures);
}

// Runs the streams at once in a new load process and returns their figures. A measured run
// waits for a quiet machine and is repeated when other processes disturbed it; a warm-up is
// not.
async function load(rig: Rig, streams: LoadStream[], measured = true): Promise<RunFigures[]> {
  const label = streams.map((stream) => stream.name).join(' + ');
  const once = async (): Promise<{ value: LoadReport; childCpuSeconds: number }> => {
    const report = await runLoadProcess(streams);
    return { value: report, childCpuSeconds: report.processCpuSeconds };
  };
  const guarded = measured
    ? await rig.guard.run(label, once)
    : { ...(await once()), foreignCores: NaN, attempts: 1 };

  const report = guarded.value;
  const share = report.cpuSeconds / report.wallSeconds;
  return report.streams.map((result) =>
    figuresOf(result, share, guarded.foreignCores, guarded.attempts),
  );
}

// Any connection error, timeout, non-2xx answer or answer that fails its check stops the
// bench.
async function runLoadProcess(streams: LoadStream[]): Promise<LoadReport> {
  const longest = Math.max(...streams.map((stream) => stream.durationSeconds));
  const job: LoadJob = { streams };
  const message = await exchange<LoadMessage>(LOAD_SCRIPT, job, (longest + 60) * 1000);
  if (!message.ok) throw new Error(`The load process failed: ${message.error}`);

  for (const result of message.report.streams) {
    const problems = result.errors + result.timeouts + result.non2xx + result.badBodies;
    if (problems > 0 || result.responses === 0) {
      throw new Error(
        `Stream "${result.name}" had ${result.errors} connection errors, ${result.timeouts} ` +
          `timeouts, ${result.non2xx} non-2xx answers and ${result.badBodies} wrong answers ` +
          `out of ${result.responses}:\n  ${result.failures.join('\n  ')}`,
      );
    }
  }
  return message.report;
}

// The raw rate: argon2 verifications of the bench hash in a process of their own, pinned
// like the server and with its libuv pool size.
async function rawArgon2(rig: Rig, concurrency: number): Promise<RawRate> {
  const job: Argon2RateJob = {
    hash: rig.hash,
    password: rig.password,
    concurrency,
    seconds: rig.mode.runSeconds,
  };
  const guarded = await rig.guard.run(`argon2 at ${concurrency}`, async () => {
    const stdout = await runScript(
      rig.pinning?.server,
      ARGON2_SCRIPT,
      [JSON.stringify(job)],
      rig.runtimeEnv,
    );
    const result = JSON.parse(stdout) as Argon2RateResult;
    return { value: result, childCpuSeconds: result.processCpuSeconds };
  });
  return {
    perSecond: guarded.value.perSecond,
    meanMs: guarded.value.meanMs,
    foreignCores: guarded.foreignCores,
    attempts: guarded.attempts,
  };
}

function plainQuery(query: string, data: unknown): RequestPlan {
  return { kind: 'static', body: JSON.stringify({ query }), expectedData: JSON.stringify(data) };
}

// `me` capped at `rate` per second, with the tokens of users spread over `tableSize`.
function cappedMe(rig: Rig, rate: number, tableSize: number, seconds: number): LoadStream {
  return {
    name: 'me',
    url: rig.service.url,
    connections: rig.mode.fixedRateConnections,
    durationSeconds: seconds,
    overallRate: rate,
    plan: mePlan(rig, tableSize),
  };
}

// Fresh tokens for users spread evenly over the table, signed as the service signs them:
// HS256 with its key, and its subject, issuer, audience and lifetime.
function mePlan(rig: Rig, tableSize: number): RequestPlan {
  const { tokens: settings } = rig.config;
  const users = spreadUsers(tableSize, rig.mode.rotatingUsers).map(benchUser);
  return {
    kind: 'me',
    userIds: users.map((user) => user.id),
    tokens: users.map((user) =>
      jwt.sign({ role: 'USER' }, rig.key, {
        algorithm: 'HS256',
        subject: user.id,
        issuer: settings.issuer,
        audience: settings.audience,
        expiresIn: settings.expiresInSeconds,
      }),
    ),
  };
}

function loginPlan(rig: Rig, tableSize: number): RequestPlan {
  const users = spreadUsers(tableSize, rig.mode.rotatingUsers).map(benchUser);
  return {
    kind: 'login',
    emails: users.map((user) => user.email),
    userIds: users.map((user) => user.id),
    password: rig.password,
  };
}

// `count` user numbers from 1 to `tableSize`, evenly apart, so that a run touches the whole
// table and not only its first pages.
function spreadUsers(tableSize: number, count: number): number[] {
  const n = Math.min(count, tableSize);
  return Array.from({ length: n }, (_, i) => Math.floor(((i + 0.5) * tableSize) / n) + 1);
}
