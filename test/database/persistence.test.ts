import { dataOf, graphql } from '../helpers/graphql';
import { createUser } from '../helpers/factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { loadDatabaseConfig } from '../../src/config';
import { createDataSource } from '../../src/database/data-source';
import { startTestServer } from '../helpers/server';

let database: TestDatabase;
const zoneBefore = process.env.TZ;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  process.env.TZ = zoneBefore;
  await database.drop();
});

describe('storage', () => {
  it('keeps users and their tokens working across a restart', async () => {
    const first = await startTestServer({ database });
    const user = await createUser(first, { name: 'Persistent' });
    await first.stop();

    const second = await startTestServer({ database });
    try {
      const me = await graphql(second.url, '{ me { id name } }', { token: user.token });
      expect(me.data).toEqual({ me: { id: user.id, name: 'Persistent' } });

      const login = await graphql(
        second.url,
        'mutation ($input: LoginInput!) { login(input: $input) { user { id } } }',
        { variables: { input: { email: user.email, password: user.password } } },
      );
      expect(login.data).toEqual({ login: { user: { id: user.id } } });
    } finally {
      await second.stop();
    }
  });

  it('finds its callers again once a missing table is back, without a restart', async () => {
    const server = await startTestServer({ database });
    try {
      const user = await createUser(server);
      const login = (): Promise<unknown> =>
        graphql(
          server.url,
          'mutation ($input: LoginInput!) { login(input: $input) { user { id } } }',
          { variables: { input: { email: user.email, password: user.password } } },
        ).then((response) => response.data);
      const me = (): Promise<unknown> =>
        graphql(server.url, '{ me { id } }', { token: user.token }).then((r) => r.data);
      // Both look-ups have run once, so whatever they keep between requests exists.
      expect(await me()).toEqual({ me: { id: user.id } });
      expect(await login()).toEqual({ login: { user: { id: user.id } } });

      await server.dataSource.query('ALTER TABLE users RENAME TO users_away');
      const broken = await graphql(server.url, '{ me { id } }', { token: user.token });
      expect(broken.errors?.map((error) => error.extensions?.code)).toEqual([
        'INTERNAL_SERVER_ERROR',
      ]);
      await server.dataSource.query('ALTER TABLE users_away RENAME TO users');

      expect(await me()).toEqual({ me: { id: user.id } });
      expect(await login()).toEqual({ login: { user: { id: user.id } } });
    } finally {
      await server.stop();
    }
  });

  it('stores and returns times in UTC whatever the process time zone', async () => {
    process.env.TZ = 'Pacific/Kiritimati';
    const server = await startTestServer({ database });
    try {
      const before = Date.now();
      const user = await createUser(server);
      const me = await graphql<{ me: { createdAt: string } }>(server.url, '{ me { createdAt } }', {
        token: user.token,
      });
      const createdAt = dataOf(me).me.createdAt;

      expect(createdAt).toMatch(/Z$/);
      expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(createdAt)).toBeLessThanOrEqual(Date.now() + 1000);

      // The stored text itself is UTC: the same wall-clock digits as the ISO answer.
      const rows: { stored: string }[] = await server.dataSource.query(
        'SELECT CAST(created_at AS CHAR) AS stored FROM users WHERE id = ?',
        [user.id],
      );
      expect(rows[0].stored.slice(0, 19)).toBe(createdAt.slice(0, 19).replace('T', ' '));
    } finally {
      await server.stop();
      process.env.TZ = zoneBefore;
    }
  });

  it('has entities that agree with the migrations, so a generated migration is empty', async () => {
    const own = await startTestServer();
    // TypeORM reads a MariaDB server's column defaults right only in its MariaDB dialect,
    // the one a `mariadb://` DATABASE_URL selects; compare in the dialect that fits.
    const settings = loadDatabaseConfig({ DATABASE_URL: own.database.url }).database;
    const version: { version: string }[] =
      settings.type === 'mysql' ? await own.dataSource.query('SELECT VERSION() AS version') : [];
    const compared = createDataSource(
      settings.type === 'mysql' && /mariadb/i.test(version[0]?.version ?? '')
        ? { ...settings, flavor: 'mariadb' }
        : settings,
    );
    await compared.initialize();
    try {
      const pending = await compared.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    } finally {
      await compared.destroy();
      await own.stop();
    }
  });

  it('can undo its migrations and run them again', async () => {
    const own = await startTestServer();
    try {
      await own.dataSource.undoLastMigration({ transaction: 'each' });
      expect(await own.dataSource.createQueryRunner().hasTable('users')).toBe(false);

      const applied = await own.dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((migration) => migration.name)).toEqual(['CreateUsers1796399307941']);
      expect(await own.dataSource.createQueryRunner().hasTable('users')).toBe(true);
    } finally {
      await own.stop();
    }
  });
});
