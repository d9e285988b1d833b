import { Role } from '../../src/users/role';
import { codes, dataOf, graphql } from '../helpers/graphql';
import { createUser, type CreatedUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const USERS = `query ($first: Int, $after: String) {
  users(first: $first, after: $after) {
    edges { cursor node { id email } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;

interface UsersData {
  users: {
    edges: { cursor: string; node: { id: string; email: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    totalCount: number;
  };
}

// This file owns its database, so it knows every user in it.
let server: TestServer;
let admin: CreatedUser;
let everyone: string[];

beforeAll(async () => {
  server = await startTestServer();
  admin = await createUser(server, { role: Role.ADMIN });
  everyone = [admin.id];
  for (let index = 0; index < 6; index += 1) everyone.push((await createUser(server)).id);
});

afterAll(async () => {
  await server.stop();
});

function page(variables: Record<string, unknown>) {
  return graphql<UsersData>(server.url, USERS, { token: admin.token, variables });
}

describe('users', () => {
  it('pages through every user once, oldest first, with a cursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response = await page({ first: 4, after });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo, totalCount } = dataOf(response).users;
      expect(totalCount).toBe(everyone.length);
      seen.push(...edges.map((edge) => edge.node.id));
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      pages += 1;
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }

    expect(pages).toBe(2);
    expect(seen).toEqual(everyone);
  });

  it('orders users created in the same millisecond by id', async () => {
    // The form both SQLite (text) and MySQL (DATETIME(3), UTC) store and compare.
    const stored = '2030-01-01 00:00:00.000';
    const ids = ['ffffffff-0000-4000-8000-000000000000', '00000000-1111-4000-8000-000000000000'];
    for (const id of ids) {
      await server.dataSource.query(
        'INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at) VALUES (?, ?, NULL, ?, ?, ?, ?)',
        [id, `${id}@example.test`, 'not-a-hash', 'USER', stored, stored],
      );
    }

    const first = await page({ first: everyone.length + 1 });
    const edges = dataOf(first).users.edges;
    expect(edges.at(-1)?.node.id).toBe(ids[1]);
    const rest = await page({ first: 10, after: edges.at(-1)?.cursor });
    expect(dataOf(rest).users.edges.map((edge) => edge.node.id)).toEqual([ids[0]]);
    expect(dataOf(rest).users.pageInfo.hasNextPage).toBe(false);

    await server.dataSource.query(`DELETE FROM users WHERE id IN (?, ?)`, ids);
  });

  it('gives 20 users when `first` is not sent, and an empty page for 0', async () => {
    const empty = await page({ first: 0 });
    expect(dataOf(empty).users.edges).toEqual([]);
    expect(dataOf(empty).users.pageInfo).toEqual({ hasNextPage: true, endCursor: null });

    const response = await graphql<UsersData>(server.url, '{ users { edges { node { id } } } }', {
      token: admin.token,
    });
    expect(dataOf(response).users.edges).toHaveLength(everyone.length);
  });

  it.each([
    ['first above 100', { first: 101 }, 'first'],
    ['a negative first', { first: -1 }, 'first'],
    ['a cursor it did not make', { after: 'bm90LWEtY3Vyc29y' }, 'after'],
    ['a cursor that is not base64', { after: '%%%' }, 'after'],
  ])('refuses %s as BAD_USER_INPUT', async (_label, variables, field) => {
    const response = await page(variables);
    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe(field);
  });

  it('is FORBIDDEN for a USER', async () => {
    const user = await createUser(server);
    const response = await graphql(server.url, '{ users { totalCount } }', { token: user.token });
    expect(response.data).toBeNull();
    expect(codes(response)).toEqual(['FORBIDDEN']);
    await server.dataSource.query('DELETE FROM users WHERE id = ?', [user.id]);
  });
});
