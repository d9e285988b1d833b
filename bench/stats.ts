import type { LatencySummary } from './load-job';

/** The median of repeated figures, with their range and its size relative to the median. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, so 0.05 means the repetitions lay within 5% of each other. */
  relativeRange: number;
  values: number[];
}

/** Summarizes latencies (in any unit) by nearest-rank percentiles. Sorts `values` in place. */
export function summarizeLatencies(values: Float64Array): LatencySummary {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  values.sort();
  let sum = 0;
  for (const value of values) sum += value;
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values[values.length - 1],
    mean: sum / values.length,
  };
}

/** The median and range of the figures of repeated runs. */
export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return { median, min, max, relativeRange: median === 0 ? 0 : (max - min) / median, values };
}

function percentile(sorted: Float64Array, rank: number): number {
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1),
  );
  return sorted[index];
}
