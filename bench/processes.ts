import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Which CPUs the server and the load generator get, as `taskset -c` lists. */
export interface Pinning {
  server: string;
  load: string;
  /** Why there is no pinning, when there is none. */
  note?: string;
}

/** A child server: the service or the bare reference. */
export interface ServerProcess {
  name: string;
  pid: number;
  /** The GraphQL endpoint. */
  url: string;
  /** Error-level lines the server logged; any of them fails the bench. */
  errorLines: string[];
  /** The peak resident set of the process so far, from /proc (VmHWM), in MiB. */
  peakRssMiB(): number;
  /** The resident set now (VmRSS), in MiB. */
  rssMiB(): number;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
}

export interface ServerStart {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  port: number;
  core: string | undefined;
  /** Flags for node itself, such as `--cpu-prof`, which NODE_OPTIONS does not accept. */
  nodeArgs?: string[];
}

const STOP_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 60_000;
const running = new Set<ChildProcess>();

// Whatever happens to the bench, no child outlives it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Chooses two different CPUs for the server and the load generator, among those this process
 * may use, when `taskset` exists and there are two or more.
 */
export function choosePinning(): Pinning | undefined {
  if (process.platform !== 'linux') return undefined;
  const probe = spawnSync('taskset', ['-c', '-p', String(process.pid)], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  const list = /:\s*([\d,-]+)\s*$/.exec(probe.stdout)?.[1];
  const cpus = list === undefined ? [] : expandCpuList(list);
  if (cpus.length < 2) return undefined;
  return { server: String(cpus[0]), load: String(cpus[1]) };
}

/** Pins this process, and so every child it forks later, to `cpus`. */
export function pinSelf(cpus: string): void {
  const result = spawnSync('taskset', ['-a', '-c', '-p', cpus, String(process.pid)], {
    encoding: 'utf8',
  });
  if (result.error || result.status !== 0) {
    throw new Error(`taskset could not pin the bench to CPU ${cpus}: ${result.stderr}`);
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('No port.'));
        else resolve(address.port);
      });
    });
  });
}

/** Starts a Node script, pinned to `core` when given, and waits for its /health to answer. */
export async function startServer(start: ServerStart): Promise<ServerProcess> {
  const args = [...(start.nodeArgs ?? []), start.script];
  const child = spawnPinned(start.core, process.execPath, args, {
    env: start.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errorLines: string[] = [];
  let stderr = '';
  forEachLine(child, 'stdout', (line) => {
    const level = logLevelOf(line);
    if (level >= 50) errorLines.push(line);
    if (level >= 40) console.warn(`[${start.name}] ${line}`);
  });
  forEachLine(child, 'stderr', (line) => {
    stderr += `${line}\n`;
    errorLines.push(line);
    console.warn(`[${start.name}] ${line}`);
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${start.port}`;
  try {
    await waitForHealth(`${base}/health`, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${start.name} did not start: ${(error as Error).message}\n${stderr}`);
  }

  const pid = child.pid as number;
  return {
    name: start.name,
    pid,
    url: `${base}/graphql`,
    errorLines,
    peakRssMiB: () => readStatusKiB(pid, 'VmHWM') / 1024,
    rssMiB: () => readStatusKiB(pid, 'VmRSS') / 1024,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs a Node script to completion, pinned to `core` when given, and returns its stdout.
 * A non-zero exit is an error carrying its stderr.
 */
export function runScript(
  core: string | undefined,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const child = spawnPinned(core, process.execPath, [script, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${script} exited with ${code ?? signal}: ${stderr.trim()}`));
    });
  });
}

/**
 * Forks a Node script with an IPC channel, sends it `message` and resolves with the first
 * message it sends back. The child inherits this process's CPU pinning. `timeoutMs` bounds
 * the whole exchange.
 */
export function exchange<Out>(script: string, message: unknown, timeoutMs: number): Promise<Out> {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} gave no answer within ${timeoutMs} ms.`));
    }, timeoutMs);
    child.once('message', (answer: Out) => {
      answered = true;
      clearTimeout(timer);
      resolve(answer);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!answered) reject(new Error(`${script} exited with ${code ?? signal} before answering.`));
    });
    child.send(message as object);
  });
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) {
            resolve();
            return;
          }
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS).unref();
        }),
    ),
  );
}

function spawnPinned(
  core: string | undefined,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; stdio: ['ignore', 'pipe', 'pipe'] },
): ChildProcess {
  // taskset execs the command, so the child's pid is the command's own.
  const child =
    core === undefined
      ? spawn(command, args, options)
      : spawn('taskset', ['-c', core, command, ...args], options);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited with ${child.exitCode ?? child.signalCode}.`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${START_TIMEOUT_MS} ms.`);
}

function forEachLine(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  onLine: (line: string) => void,
): void {
  let pending = '';
  child[stream]?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  });
}

// pino writes JSON lines with a numeric level: 40 is warn, 50 error, 60 fatal. Anything that
// is not such a line is treated as an error, since the server writes nothing else.
function logLevelOf(line: string): number {
  try {
    const level = (JSON.parse(line) as { level?: unknown }).level;
    return typeof level === 'number' ? level : 50;
  } catch {
    return 50;
  }
}

function readStatusKiB(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field}.`);
  return Number(match[1]);
}

function expandCpuList(list: string): number[] {
  return list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (to === undefined) return [from];
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}
