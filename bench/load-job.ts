/** What one stream of requests sends, and what each answer must hold. */
export type RequestPlan =
  | {
      kind: 'static';
      body: string;
      /** The JSON of `data` that every sampled answer must equal. */
      expectedData: string;
    }
  | {
      kind: 'me';
      /** Bearer tokens, one per user, sent in turn. */
      tokens: string[];
      /** The id each token belongs to, in the same order. */
      userIds: string[];
    }
  | {
      kind: 'login';
      emails: string[];
      userIds: string[];
      password: string;
    };

/** One autocannon instance. */
export interface LoadStream {
  name: string;
  url: string;
  connections: number;
  durationSeconds: number;
  /** A cap on requests per second over all connections; none means as fast as possible. */
  overallRate?: number;
  plan: RequestPlan;
}

/** Streams that run at the same time, in one load process. */
export interface LoadJob {
  streams: LoadStream[];
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** What one stream measured. Latencies are in milliseconds. */
export interface StreamResult {
  name: string;
  /** Answers received, whatever their status. */
  responses: number;
  seconds: number;
  /** Answers per second. */
  throughput: number;
  latencyMs: LatencySummary;
  /** Connection errors, timeouts, non-2xx answers and answers that failed a check. */
  errors: number;
  timeouts: number;
  non2xx: number;
  badBodies: number;
  /** How many answers were parsed and compared in full. */
  sampled: number;
  /** The first few answers that failed a check. */
  failures: string[];
}

/** What the load process sends back for a job. */
export interface LoadReport {
  streams: StreamResult[];
  /** CPU seconds the load process used during the job, and the wall-clock seconds of it. */
  cpuSeconds: number;
  wallSeconds: number;
  /** CPU seconds the load process used in all, start-up included. */
  processCpuSeconds: number;
}

/** A message from the load process. */
export type LoadMessage = { ok: true; report: LoadReport } | { ok: false; error: string };
