import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { createTestDatabase } from '../helpers/database';
import { graphql } from '../helpers/graphql';
import { createUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

// The command as `npm run user --` runs it, but from the sources, on the test database.
function userCommand(...args: string[]) {
  return userCommandOn(server.database.url, ...args);
}

function userCommandOn(databaseUrl: string, ...args: string[]) {
  return run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'cli', 'user.ts'), ...args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
      },
    },
  );
}

describe('npm run user -- set-role', () => {
  it('makes a user ADMIN, which counts on their next request with the same token', async () => {
    const user = await createUser(server);

    const { stdout } = await userCommand('set-role', user.email.toUpperCase(), 'admin');

    expect(stdout).toContain(`${user.email} is now ADMIN`);
    const response = await graphql(server.url, '{ users(first: 1) { totalCount } }', {
      token: user.token,
    });
    expect(response.errors).toBeUndefined();
  }, 30_000);

  it('fails with a message for an unknown email or role, changing nothing', async () => {
    const user = await createUser(server);

    await expect(userCommand('set-role', 'nobody@example.test', 'ADMIN')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('No user has the email'),
    });
    await expect(userCommand('set-role', user.email, 'ROOT')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Unknown role'),
    });
    const me = await graphql(server.url, '{ me { role } }', { token: user.token });
    expect(me.data).toEqual({ me: { role: 'USER' } });
  }, 30_000);

  it('refuses a database whose migrations have not run, rather than migrating it', async () => {
    const empty = await createTestDatabase();
    try {
      await expect(
        userCommandOn(empty.url, 'set-role', 'a@example.test', 'ADMIN'),
      ).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('pending migrations'),
      });
    } finally {
      await empty.drop();
    }
  }, 30_000);
});
