import type { StreamResult } from './load-job';
import { type Spread, spreadOf } from './stats';

/** The figures of one measured run of one stream. Latencies in milliseconds. */
export interface RunFigures {
  responses: number;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** CPU time of the load process over wall-clock time: near 1 means it may be the limit. */
  loadCpuShare: number;
  /** CPU other processes on the machine took during the run, in cores; see quiet.ts. */
  foreignCores: number;
  attempts: number;
}

/** Repeated runs of one case, with medians and ranges. */
export interface Series {
  throughput: Spread;
  p50Ms: Spread;
  p99Ms: Spread;
  runs: RunFigures[];
}

export interface Target {
  key: string;
  value: number;
  /** The target as printed, such as ">= 0.9". */
  wanted: string;
  met: boolean;
}

/** Figures of a stream run, with the CPU share of the load process that ran it. */
export function figuresOf(
  result: StreamResult,
  loadCpuShare: number,
  foreignCores: number,
  attempts: number,
): RunFigures {
  return {
    responses: result.responses,
    throughput: result.throughput,
    p50: result.latencyMs.p50,
    p90: result.latencyMs.p90,
    p99: result.latencyMs.p99,
    max: result.latencyMs.max,
    loadCpuShare,
    foreignCores,
    attempts,
  };
}

/** Medians and ranges of repeated runs. */
export function seriesOf(runs: RunFigures[]): Series {
  return {
    throughput: spreadOf(runs.map((run) => run.throughput)),
    p50Ms: spreadOf(runs.map((run) => run.p50)),
    p99Ms: spreadOf(runs.map((run) => run.p99)),
    runs,
  };
}

/** A target of the form `value >= bound` or `value <= bound`, or `value < bound`. */
export function target(
  key: string,
  value: number,
  operator: '>=' | '<=' | '<',
  bound: number,
): Target {
  const met =
    operator === '>=' ? value >= bound : operator === '<=' ? value <= bound : value < bound;
  return { key, value, wanted: `${operator} ${bound}`, met };
}

/** One line of the printed table. */
export interface Row {
  name: string;
  figure: string;
  spread?: Spread;
  /** Digits after the point. */
  digits?: number;
  /** For a single value that has no spread. */
  value?: number;
}

/** Prints rows as an aligned table: median, range and relative range of each figure. */
export function printTable(title: string, rows: Row[]): void {
  const cells = rows.map((row) => {
    const digits = row.digits ?? 1;
    if (row.spread) {
      const { median, min, max, relativeRange } = row.spread;
      return [
        row.name,
        row.figure,
        median.toFixed(digits),
        `${min.toFixed(digits)} – ${max.toFixed(digits)}`,
        `${(relativeRange * 100).toFixed(1)}%`,
      ];
    }
    return [row.name, row.figure, (row.value ?? NaN).toFixed(digits), '', ''];
  });
  const header = ['case', 'figure', 'median', 'range', 'spread'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string =>
    c.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');

  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** Prints each target with its value and whether it is met. */
export function printTargets(targets: Target[]): void {
  console.log('\nTargets');
  for (const t of targets) {
    const mark = t.met ? 'met' : 'MISSED';
    console.log(
      `  ${t.key.padEnd(18)} ${t.value.toFixed(3).padStart(9)}  (wanted ${t.wanted})  ${mark}`,
    );
  }
}
