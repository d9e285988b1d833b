import { readFileSync } from 'node:fs';

/**
 * The variables that tune Node and the allocator rather than the service. The Docker image
 * sets some of them; the bench runs its servers and the raw argon2 process with the image's
 * values, so that it measures the service as it ships.
 */
export const RUNTIME_VARIABLES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_'];

// KEY=value or KEY="value with spaces", as an ENV instruction writes them.
const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S+)/g;

/**
 * The runtime variables that the last stage of a Dockerfile sets with ENV, each overridden
 * by the same variable in `env` when that one is set.
 */
export function imageRuntime(dockerfilePath: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const fromImage = envOfLastStage(readFileSync(dockerfilePath, 'utf8'));
  const runtime: NodeJS.ProcessEnv = {};
  for (const name of RUNTIME_VARIABLES) {
    const value = env[name] ?? fromImage.get(name);
    if (value) runtime[name] = value;
  }
  return runtime;
}

function envOfLastStage(dockerfile: string): Map<string, string> {
  // Continued lines joined, so that an instruction is one line.
  const instructions = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  const lastFrom = instructions.reduce(
    (last, line, index) => (/^\s*FROM\s/i.test(line) ? index : last),
    -1,
  );
  const values = new Map<string, string>();
  for (const line of instructions.slice(lastFrom + 1)) {
    const env = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!env) continue;
    for (const [, name, raw] of env[1].matchAll(ASSIGNMENT)) {
      values.set(name, raw.startsWith('"') ? (JSON.parse(raw) as string) : raw);
    }
  }
  return values;
}
