import type { LoginRuns, Rig, StormRun, TableRuns, ThroughputRuns } from './cases';
import { printTable, printTargets, type RunFigures, seriesOf, type Target, target } from './report';
import { type Spread, spreadOf } from './stats';
import type { Settling } from './quiet';
import { RUNTIME_VARIABLES } from './runtime';

/** The service's resident memory after a phase, in MiB. */
export interface MemoryPoint {
  after: string;
  rssMiB: number;
  peakMiB: number;
}

/** Everything the bench measured, as `run.ts` collected it. */
export interface Measurements {
  rig: Rig;
  machine: Record<string, unknown>;
  databaseKind: string;
  throughput: ThroughputRuns;
  logins: LoginRuns;
  storm: { meRate: number; loginRate: number; runs: StormRun[] };
  tables: { small: TableRuns; large: TableRuns; seedSeconds: number; settling: Settling | null };
  memory: { servicePeakMiB: number; barePeakMiB: number; service: MemoryPoint[] };
}

// A run during which other processes used more than this many cores counts as disturbed.
const DISTURBED_CORES = 0.1;

/**
 * Turns the measurements into medians, ratios and targets, prints them, and returns the
 * object written to the results file.
 */
export function summarizeResults(m: Measurements): Record<string, unknown> {
  const { rig, throughput, logins, storm, tables, memory } = m;
  const bare = seriesOf(throughput.bare);
  const typename = seriesOf(throughput.typename);
  const me = seriesOf(throughput.me);
  const login = seriesOf(logins.logins);
  const rawAtLimit = spreadOf(logins.rawAtLimit.map((r) => r.perSecond));
  const rawAtPool = spreadOf(logins.rawAtPool.map((r) => r.perSecond));
  const rawCeiling = Math.max(rawAtLimit.median, rawAtPool.median);
  const idle = seriesOf(storm.runs.map((r) => r.idle));
  const stormMe = seriesOf(storm.runs.map((r) => r.me));
  const stormLogins = seriesOf(storm.runs.map((r) => r.logins));
  const small = { me: seriesOf(tables.small.me), logins: seriesOf(tables.small.logins) };
  const large = { me: seriesOf(tables.large.me), logins: seriesOf(tables.large.logins) };

  const ratio = (a: Spread, b: Spread): number => a.median / b.median;
  const ratios = {
    auth_vs_bare: ratio(me.throughput, bare.throughput),
    auth_vs_bare_paired: spreadOf(throughput.pairedMeVsBare).median,
    me_vs_typename: ratio(me.throughput, typename.throughput),
    typename_vs_bare: ratio(typename.throughput, bare.throughput),
    login_vs_argon2: login.throughput.median / rawCeiling,
    storm_p99_vs_idle: ratio(stormMe.p99Ms, idle.p99Ms),
    storm_p50_vs_idle: ratio(stormMe.p50Ms, idle.p50Ms),
    million_vs_10k_me_p99: ratio(large.me.p99Ms, small.me.p99Ms),
    million_vs_10k_login_p99: ratio(large.logins.p99Ms, small.logins.p99Ms),
    million_vs_10k_me_p50: ratio(large.me.p50Ms, small.me.p50Ms),
    million_vs_10k_login_p50: ratio(large.logins.p50Ms, small.logins.p50Ms),
  };
  const millionVs10k = Math.max(ratios.million_vs_10k_me_p99, ratios.million_vs_10k_login_p99);
  const targets: Target[] = [
    target('auth_vs_bare', ratios.auth_vs_bare, '>=', 0.9),
    target('login_vs_argon2', ratios.login_vs_argon2, '>=', 0.9),
    target('storm_p99_vs_idle', ratios.storm_p99_vs_idle, '<=', 2),
    target('million_vs_10k', millionVs10k, '<=', 1.2),
    target('peak_rss_mb', memory.servicePeakMiB, '<', 200),
  ];

  const allRuns: RunFigures[] = [
    ...throughput.bare,
    ...throughput.typename,
    ...throughput.me,
    ...logins.logins,
    ...storm.runs.flatMap((r) => [r.idle, r.me]),
    ...tables.small.me,
    ...tables.small.logins,
    ...tables.large.me,
    ...tables.large.logins,
  ];
  const rawRuns = [...logins.rawAtLimit, ...logins.rawAtPool];
  const disturbance = {
    thresholdCores: DISTURBED_CORES,
    disturbedRuns: [...allRuns, ...rawRuns].filter((r) => r.foreignCores > DISTURBED_CORES).length,
    measuredRuns: allRuns.length + rawRuns.length,
    repeatedRuns: [...allRuns, ...rawRuns].filter((r) => r.attempts > 1).length,
    maxForeignCores: Math.max(...[...allRuns, ...rawRuns].map((r) => r.foreignCores)),
    secondsWaited: rig.guard.spentSeconds,
  };
  const loadCpuShare = Math.max(
    ...[...bare.runs, ...typename.runs, ...me.runs].map((r) => r.loadCpuShare),
  );

  const { mode } = rig;
  const sizes = [tables.small.users, tables.large.users].map((n) => n.toLocaleString('en'));
  printTable(`Results (${mode.name} run, ${mode.repetitions} × ${mode.runSeconds} s per case)`, [
    { name: '1 bare { hello }', figure: 'req/s', spread: bare.throughput, digits: 0 },
    { name: '1 bare { hello }', figure: 'p99 ms', spread: bare.p99Ms, digits: 2 },
    { name: '2 { __typename }', figure: 'req/s', spread: typename.throughput, digits: 0 },
    { name: '2 { __typename }', figure: 'p99 ms', spread: typename.p99Ms, digits: 2 },
    { name: '3 me, rotating tokens', figure: 'req/s', spread: me.throughput, digits: 0 },
    { name: '3 me, rotating tokens', figure: 'p99 ms', spread: me.p99Ms, digits: 2 },
    { name: '4 logins, saturated', figure: 'logins/s', spread: login.throughput },
    { name: '4 logins, saturated', figure: 'p50 ms', spread: login.p50Ms },
    {
      name: '4 raw argon2 verify',
      figure: `/s, ${rig.config.argon2.maxConcurrent} at once`,
      spread: rawAtLimit,
    },
    { name: '4 raw argon2 verify', figure: `/s, ${rig.threadPoolSize} at once`, spread: rawAtPool },
    { name: '5 me, fixed rate, alone', figure: 'me/s', spread: idle.throughput, digits: 0 },
    { name: '5 me, fixed rate, alone', figure: 'p50 ms', spread: idle.p50Ms, digits: 2 },
    { name: '5 me, fixed rate, alone', figure: 'p99 ms', spread: idle.p99Ms, digits: 2 },
    { name: '5 me, with logins', figure: 'me/s', spread: stormMe.throughput, digits: 0 },
    { name: '5 me, with logins', figure: 'p50 ms', spread: stormMe.p50Ms, digits: 2 },
    { name: '5 me, with logins', figure: 'p99 ms', spread: stormMe.p99Ms, digits: 2 },
    { name: '5 the logins', figure: 'logins/s', spread: stormLogins.throughput },
    { name: `6 me, ${sizes[0]} users`, figure: 'p50 ms', spread: small.me.p50Ms, digits: 2 },
    { name: `6 me, ${sizes[0]} users`, figure: 'p99 ms', spread: small.me.p99Ms, digits: 2 },
    { name: `6 me, ${sizes[1]} users`, figure: 'p50 ms', spread: large.me.p50Ms, digits: 2 },
    { name: `6 me, ${sizes[1]} users`, figure: 'p99 ms', spread: large.me.p99Ms, digits: 2 },
    { name: `6 login, ${sizes[0]} users`, figure: 'p50 ms', spread: small.logins.p50Ms },
    { name: `6 login, ${sizes[0]} users`, figure: 'p99 ms', spread: small.logins.p99Ms },
    { name: `6 login, ${sizes[1]} users`, figure: 'p50 ms', spread: large.logins.p50Ms },
    { name: `6 login, ${sizes[1]} users`, figure: 'p99 ms', spread: large.logins.p99Ms },
    { name: '7 service peak RSS', figure: 'MiB', value: memory.servicePeakMiB },
    { name: '7 bare server peak RSS', figure: 'MiB', value: memory.barePeakMiB },
  ]);
  console.log('\nRatios (of medians)');
  for (const [key, value] of Object.entries(ratios)) {
    console.log(`  ${key.padEnd(26)} ${value.toFixed(3)}`);
  }
  printTargets(targets);
  console.log(
    `\n${disturbance.disturbedRuns} of ${disturbance.measuredRuns} measured runs saw other ` +
      `processes take more than ${DISTURBED_CORES} cores (at most ` +
      `${disturbance.maxForeignCores.toFixed(2)}); ${disturbance.repeatedRuns} were repeated.`,
  );
  if (loadCpuShare > 0.9) {
    console.warn(
      `The load process used ${(loadCpuShare * 100).toFixed(0)}% of its CPU: it may be the limit.`,
    );
  }

  return {
    mode: rig.mode.name,
    finishedAt: new Date().toISOString(),
    machine: m.machine,
    setup: {
      database: m.databaseKind,
      pinning: rig.pinning ?? null,
      uvThreadPoolSize: rig.threadPoolSize,
      runtime: Object.fromEntries(
        RUNTIME_VARIABLES.map((name) => [name, rig.runtimeEnv[name] ?? null]),
      ),
      argon2: rig.config.argon2,
      repetitions: rig.mode.repetitions,
      runSeconds: rig.mode.runSeconds,
      warmupSeconds: rig.mode.warmupSeconds,
      rotatingUsers: rig.mode.rotatingUsers,
      connections: {
        saturation: rig.mode.saturationConnections,
        fixedRate: rig.mode.fixedRateConnections,
        logins: rig.mode.loginConnections,
      },
    },
    cases: {
      bare,
      typename,
      me,
      pairedMeVsBare: spreadOf(throughput.pairedMeVsBare),
      logins: {
        ...login,
        rawArgon2: { atLimit: rawAtLimit, atPool: rawAtPool, ceiling: rawCeiling },
      },
      storm: {
        meRate: storm.meRate,
        loginRate: storm.loginRate,
        idle,
        me: stormMe,
        logins: stormLogins,
      },
      tableSize: {
        small: { users: tables.small.users, ...small },
        large: { users: tables.large.users, ...large },
        seedSeconds: tables.seedSeconds,
        settling: tables.settling,
      },
      memory,
    },
    ratios,
    auth_vs_bare: ratios.auth_vs_bare,
    login_vs_argon2: ratios.login_vs_argon2,
    storm_p99_vs_idle: ratios.storm_p99_vs_idle,
    million_vs_10k: millionVs10k,
    peak_rss_mb: memory.servicePeakMiB,
    targets,
    disturbance,
    loadProcessMaxCpuShare: loadCpuShare,
  };
}
