import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { imageRuntime } from '../../bench/runtime';

// The bench starts the service with the Docker image's runtime settings, read from the
// Dockerfile; a misread would silently measure another configuration.

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'identity-dockerfile-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

function read(dockerfile: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const path = join(folder, 'Dockerfile');
  writeFileSync(path, dockerfile);
  return imageRuntime(path, env);
}

describe('the image runtime the bench uses', () => {
  it("is the project's own Dockerfile's", () => {
    expect(imageRuntime(join(__dirname, '..', '..', 'Dockerfile'), {})).toEqual({
      NODE_OPTIONS: '--max-old-space-size=512',
      MALLOC_ARENA_MAX: '2',
    });
  });

  it('takes only the last stage, through quotes, continuations and comments', () => {
    const dockerfile = [
      'FROM builder AS build',
      'ENV MALLOC_ARENA_MAX=8',
      'FROM runtime',
      'ENV PORT=4000 \\  ',
      '# a comment inside the instruction',
      '  NODE_OPTIONS="--max-old-space-size=256 --enable-source-maps" \\',
      "  MALLOC_MMAP_THRESHOLD_='131072'",
    ].join('\n');
    expect(read(dockerfile)).toEqual({
      NODE_OPTIONS: '--max-old-space-size=256 --enable-source-maps',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
  });

  it('lets the environment win, and an empty variable turn a setting off', () => {
    const dockerfile =
      'FROM runtime\nENV NODE_OPTIONS=--max-old-space-size=512 MALLOC_ARENA_MAX=2\n';
    expect(read(dockerfile, { MALLOC_ARENA_MAX: '1', NODE_OPTIONS: '' })).toEqual({
      MALLOC_ARENA_MAX: '1',
    });
  });

  it.each([
    ['the old form without "="', 'ENV NODE_OPTIONS --max-old-space-size=512'],
    ['a value to expand', 'ENV NODE_OPTIONS="$NODE_OPTIONS --max-old-space-size=512"'],
    ['an escape', 'ENV NODE_OPTIONS="a\\ b"'],
  ])('refuses %s rather than guess', (_what, instruction) => {
    expect(() => read(`FROM runtime\n${instruction}\n`)).toThrow(/cannot read the ENV/);
  });

  it('refuses a last stage that inherits the ENV of an earlier one', () => {
    expect(() => read('FROM node AS base\nENV MALLOC_ARENA_MAX=2\nFROM base\n')).toThrow(
      /starts from stage "base"/,
    );
  });
});
