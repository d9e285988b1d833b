import { randomUUID } from 'node:crypto';

import { PasswordHasher } from '../../src/auth/passwords';
import { createLogger } from '../../src/logger';
import { createUser, uniqueEmail } from '../helpers/factories';
import { graphql } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';

const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { token } }';
const SIGNUP = 'mutation ($input: SignupInput!) { signup(input: $input) { token } }';

// pino's levels: what the service logs unexpected errors and recoverable failures at.
const ERROR_LEVEL = 50;
const WARN_LEVEL = 40;

// An argon2 hash in PHC form, whatever its parameters.
const ARGON2_HASH = /\$argon2(?:id|i|d)\$[^"'\s]*/g;

let server: TestServer;
const lines: string[] = [];

beforeAll(async () => {
  const capture = { write: (line: string) => void lines.push(line) };
  server = await startTestServer({ logger: createLogger('debug', capture) });
});

afterAll(async () => {
  await server.stop();
});

// Runs `step` and returns the log lines written meanwhile, parsed.
async function logDuring(step: () => Promise<void>): Promise<{ text: string; levels: number[] }> {
  const start = lines.length;
  await step();
  const written = lines.slice(start);
  const levels = written.map((line) => (JSON.parse(line) as { level: number }).level);
  return { text: written.join(''), levels };
}

// Makes every query on `users` fail until the returned function puts the table back.
async function hideUsersTable(): Promise<() => Promise<void>> {
  await server.dataSource.query('ALTER TABLE users RENAME TO users_hidden');
  return async () => {
    await server.dataSource.query('ALTER TABLE users_hidden RENAME TO users');
  };
}

// Makes every UPDATE of `users` fail until the returned function drops the trigger.
async function refuseUserUpdates(): Promise<() => Promise<void>> {
  const mysql = server.dataSource.options.type !== 'better-sqlite3';
  await server.dataSource.query(
    mysql
      ? "CREATE TRIGGER refuse_user_updates BEFORE UPDATE ON users FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'updates refused'"
      : "CREATE TRIGGER refuse_user_updates BEFORE UPDATE ON users BEGIN SELECT RAISE(ABORT, 'updates refused'); END",
  );
  return async () => {
    await server.dataSource.query('DROP TRIGGER refuse_user_updates');
  };
}

describe('the log', () => {
  it('holds no password, token or Authorization value, even beside an unexpected error', async () => {
    const user = await createUser(server);
    const wrongPassword = `wrong-${randomUUID()}`;
    const garbage = `Bearer garbage-${randomUUID()}`;
    const basic = `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}`;
    const issued: string[] = [user.token];

    const log = await logDuring(async () => {
      const login = await graphql<{ login: { token: string } }>(server.url, LOGIN, {
        variables: { input: { email: user.email, password: user.password } },
      });
      issued.push(login.data?.login.token ?? '');
      await graphql(server.url, LOGIN, {
        variables: { input: { email: user.email, password: wrongPassword } },
      });
      for (const authorization of [garbage, basic]) {
        await graphql(server.url, '{ me { id } }', { headers: { authorization } });
      }

      const restore = await hideUsersTable();
      try {
        await graphql(server.url, '{ me { id } }', { token: user.token });
        await graphql(server.url, LOGIN, {
          variables: { input: { email: user.email, password: user.password } },
          token: user.token,
        });
      } finally {
        await restore();
      }
    });

    // The control: the unexpected errors were logged, so there was something to leak, and
    // each names the statement that failed, on either database.
    expect(log.levels).toContain(ERROR_LEVEL);
    expect(log.text).toContain('"query":"SELECT ');
    expect(issued.every((token) => token.length > 0)).toBe(true);
    for (const secret of [user.password, wrongPassword, garbage, basic, ...issued]) {
      expect(log.text).not.toContain(secret);
    }
    expect(log.text).not.toMatch(/bearer|basic /i);
  });

  it('holds no password hash when a signup fails unexpectedly', async () => {
    const password = `signup-${randomUUID()}`;

    const log = await logDuring(async () => {
      const restore = await hideUsersTable();
      try {
        const response = await graphql(server.url, SIGNUP, {
          variables: { input: { email: uniqueEmail('logged'), password } },
        });
        expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      } finally {
        await restore();
      }
    });

    expect(log.levels).toContain(ERROR_LEVEL);
    expect(log.text).not.toContain(password);
    expect(log.text.match(ARGON2_HASH) ?? []).toEqual([]);
  });

  it('holds no password hash when upgrading an old hash fails', async () => {
    const user = await createUser(server);
    const weaker = new PasswordHasher({
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
      maxConcurrent: 1,
    });
    await server.dataSource.query('UPDATE users SET password_hash = ? WHERE id = ?', [
      await weaker.hash(user.password),
      user.id,
    ]);

    const log = await logDuring(async () => {
      const restore = await refuseUserUpdates();
      try {
        const response = await graphql(server.url, LOGIN, {
          variables: { input: { email: user.email, password: user.password } },
        });
        // The login itself goes on: only the upgrade failed.
        expect(response.errors).toBeUndefined();
      } finally {
        await restore();
      }
    });

    expect(log.levels).toContain(WARN_LEVEL);
    expect(log.text).not.toContain(user.password);
    expect(log.text.match(ARGON2_HASH) ?? []).toEqual([]);
  });
});
