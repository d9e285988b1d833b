import { readFileSync } from 'node:fs';

/**
 * The variables that tune Node and the allocator rather than the service. The Docker image
 * sets some of them; the bench runs its servers and the raw argon2 process with the image's
 * values, so that it measures the service as it ships.
 */
export const RUNTIME_VARIABLES = ['NODE_OPTIONS', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_'];

// NAME=value, NAME="value" or NAME='value', with nothing in the value for a shell to expand.
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"\\$]*)"|'([^']*)'|([^\s"'\\$]+))(?:\s+|$)/;

/**
 * The runtime variables that the last stage of a Dockerfile sets with ENV, each overridden
 * by the same variable in `env` when that one is set. Throws on an ENV instruction of that
 * stage it cannot read for certain, rather than measure without the image's settings.
 */
export function imageRuntime(dockerfilePath: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const fromImage = envOfLastStage(readFileSync(dockerfilePath, 'utf8'), dockerfilePath);
  const runtime: NodeJS.ProcessEnv = {};
  for (const name of RUNTIME_VARIABLES) {
    const value = env[name] ?? fromImage.get(name);
    if (value) runtime[name] = value;
  }
  return runtime;
}

function envOfLastStage(dockerfile: string, path: string): Map<string, string> {
  // Comment lines go first, as Docker drops them even inside a continued instruction; then
  // continued lines are joined, so that an instruction is one line.
  const instructions = dockerfile
    .split(/\r?\n/)
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\[ \t]*\n/g, ' ')
    .split('\n');
  const lastFrom = instructions.reduce(
    (last, line, index) => (/^\s*FROM\s/i.test(line) ? index : last),
    -1,
  );
  // A last stage built FROM an earlier one would inherit that stage's ENV too.
  const stages = instructions.flatMap((line) => /^\s*FROM\s.*\sAS\s+(\S+)/i.exec(line)?.[1] ?? []);
  const base = /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(instructions[lastFrom] ?? '')?.[1];
  if (base !== undefined && stages.includes(base)) {
    throw new Error(`${path}: the last stage starts from stage "${base}", whose ENV is not read.`);
  }
  const values = new Map<string, string>();
  for (const line of instructions.slice(lastFrom + 1)) {
    const env = /^\s*ENV\s+(.*)$/i.exec(line);
    if (!env) continue;
    let rest = env[1].trim();
    while (rest !== '') {
      const assignment = ASSIGNMENT.exec(rest);
      if (!assignment) {
        throw new Error(`${path}: cannot read the ENV instruction "${line.trim()}".`);
      }
      const [whole, name, doubleQuoted, singleQuoted, bare] = assignment;
      values.set(name, doubleQuoted ?? singleQuoted ?? bare);
      rest = rest.slice(whole.length);
    }
  }
  return values;
}
