import autocannon from 'autocannon';

import type {
  LoadJob,
  LoadMessage,
  LoadReport,
  LoadStream,
  RequestPlan,
  StreamResult,
} from './load-job';
import { summarizeLatencies } from './stats';

/**
 * The load process: started by `run.ts` with an IPC channel, it receives one job, drives the
 * server with one autocannon instance per stream, all at once, checks the answers, sends back
 * what it measured and exits. It runs in a process of its own, pinned away from the server,
 * so that generating load never takes the server's CPU.
 */

// Every answer is searched for an `errors` key; one in this many is parsed and compared in full.
const SAMPLE_EVERY = 10;
const MAX_FAILURES_KEPT = 3;
const ME_QUERY = JSON.stringify({ query: '{ me { id role } }' });
const LOGIN_QUERY =
  'mutation Login($input: LoginInput!) { login(input: $input) { token user { id } } }';

interface Checker {
  responses: number;
  sampled: number;
  badBodies: number;
  failures: string[];
}

process.once('message', (job: LoadJob) => {
  runJob(job).then(
    (report) => send({ ok: true, report }),
    (error: unknown) =>
      send({
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

function send(message: LoadMessage): void {
  if (!process.send) throw new Error('load.ts must be started with an IPC channel.');
  process.send(message, () => process.exit(0));
}

async function runJob(job: LoadJob): Promise<LoadReport> {
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const streams = await Promise.all(job.streams.map(runStream));
  const cpu = process.cpuUsage(cpuBefore);
  const total = process.cpuUsage();
  return {
    streams,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    processCpuSeconds: (total.user + total.system) / 1e6,
  };
}

function runStream(stream: LoadStream): Promise<StreamResult> {
  const checker: Checker = { responses: 0, sampled: 0, badBodies: 0, failures: [] };
  const latencies = new LatencyLog();

  return new Promise((resolve, reject) => {
    // Latencies are taken from the response events rather than from autocannon's summary:
    // its histogram keeps whole milliseconds, and under a rate cap it adds made-up samples
    // one millisecond apart (it passes 1 / rate, in seconds, rounded up, as the interval).
    const instance = autocannon(
      {
        url: stream.url,
        connections: stream.connections,
        duration: stream.durationSeconds,
        timeout: 30,
        ...(stream.overallRate === undefined
          ? {}
          : { overallRate: stream.overallRate, ignoreCoordinatedOmission: true }),
        requests: [requestFor(stream.plan, checker)],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          name: stream.name,
          responses: latencies.length,
          seconds: result.duration,
          throughput: latencies.length / result.duration,
          latencyMs: summarizeLatencies(latencies.values()),
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          badBodies: checker.badBodies,
          sampled: checker.sampled,
          failures: checker.failures,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) =>
      latencies.add(ms),
    );
  });
}

// One request description whose headers or body change on every call, so that each request
// carries another user's token or email, in turn, across all connections.
function requestFor(plan: RequestPlan, checker: Checker): autocannon.Request {
  const base = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
  };

  switch (plan.kind) {
    case 'static':
      return {
        ...base,
        body: plan.body,
        onResponse: (status, body) =>
          check(checker, status, body, (data) => JSON.stringify(data) === plan.expectedData),
      };
    case 'me': {
      let next = 0;
      return {
        ...base,
        body: ME_QUERY,
        setupRequest: (request, context) => {
          const index = next;
          next = (next + 1) % plan.tokens.length;
          context.expectedId = plan.userIds[index];
          return {
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${plan.tokens[index]}` },
          };
        },
        onResponse: (status, body, context) =>
          check(checker, status, body, (data) => {
            const me = (data as { me?: { id?: unknown; role?: unknown } | null }).me;
            return me?.id === context.expectedId && me?.role === 'USER';
          }),
      };
    }
    case 'login': {
      const bodies = plan.emails.map((email) =>
        JSON.stringify({
          query: LOGIN_QUERY,
          variables: { input: { email, password: plan.password } },
        }),
      );
      let next = 0;
      return {
        ...base,
        setupRequest: (request, context) => {
          const index = next;
          next = (next + 1) % bodies.length;
          context.expectedId = plan.userIds[index];
          return { ...request, body: bodies[index] };
        },
        onResponse: (status, body, context) =>
          check(checker, status, body, (data) => {
            const login = (data as { login?: { token?: unknown; user?: { id?: unknown } } }).login;
            return (
              typeof login?.token === 'string' &&
              login.token.split('.').length === 3 &&
              login.user?.id === context.expectedId
            );
          }),
      };
    }
  }
}

// Every answer must be a 200 without `errors`; a sample is parsed and its data compared.
function check(
  checker: Checker,
  status: number,
  body: string,
  dataIsRight: (data: unknown) => boolean,
): void {
  checker.responses += 1;
  let ok = status === 200 && !body.includes('"errors"');
  if (ok && checker.responses % SAMPLE_EVERY === 1) {
    checker.sampled += 1;
    try {
      const parsed = JSON.parse(body) as { data?: unknown };
      ok = typeof parsed.data === 'object' && parsed.data !== null && dataIsRight(parsed.data);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    checker.badBodies += 1;
    if (checker.failures.length < MAX_FAILURES_KEPT) {
      checker.failures.push(`HTTP ${status}: ${body.slice(0, 300)}`);
    }
  }
}

/** A growing array of latencies in milliseconds. */
class LatencyLog {
  private buffer = new Float64Array(1 << 16);
  length = 0;

  add(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length] = value;
    this.length += 1;
  }

  values(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}
