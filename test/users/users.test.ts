import { Role } from '../../src/users/role';
import { codes, graphql } from '../helpers/graphql';
import { createUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const USER_FIELDS = 'id email name role createdAt';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('me', () => {
  it('is null when no token is sent', async () => {
    const response = await graphql(server.url, '{ me { id } }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: null });
    expect(response.errors).toBeUndefined();
  });

  it('is the signed-in user, with the role the database holds now', async () => {
    const user = await createUser(server, { name: 'Grace' });
    await server.users.setRole(user.id, Role.ADMIN);

    const response = await graphql(server.url, `{ me { ${USER_FIELDS} } }`, { token: user.token });

    expect(response.data).toEqual({
      me: {
        id: user.id,
        email: user.email,
        name: 'Grace',
        role: 'ADMIN',
        createdAt: expect.stringMatching(/Z$/),
      },
    });
  });

  it('reads the user row once per request, however many fields need it', async () => {
    const user = await createUser(server);
    const findById = jest.spyOn(server.users, 'findById');

    const response = await graphql(
      server.url,
      'query ($id: ID!) { me { id } user(id: $id) { id } again: me { role } }',
      { token: user.token, variables: { id: user.id } },
    );

    expect(response.data).toEqual({
      me: { id: user.id },
      user: { id: user.id },
      again: { role: 'USER' },
    });
    expect(findById).toHaveBeenCalledTimes(1);

    await graphql(server.url, '{ me { id } }', { token: user.token });
    expect(findById).toHaveBeenCalledTimes(2);
  });
});

describe('user', () => {
  const USER = `query ($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`;

  it('gives a USER their own account', async () => {
    const user = await createUser(server);
    const response = await graphql(server.url, USER, {
      token: user.token,
      variables: { id: user.id },
    });
    expect(response.data).toEqual({
      user: expect.objectContaining({ id: user.id, email: user.email }),
    });
  });

  it('refuses a USER anyone else, existing or not, with the same FORBIDDEN', async () => {
    const user = await createUser(server);
    const other = await createUser(server);

    const responses = await Promise.all(
      [other.id, '00000000-0000-4000-8000-000000000000', 'not-an-id'].map((id) =>
        graphql(server.url, USER, { token: user.token, variables: { id } }),
      ),
    );

    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ user: null });
      expect(codes(response)).toEqual(['FORBIDDEN']);
      expect(response.errors?.[0].message).toBe(responses[0].errors?.[0].message);
    }
  });

  it('gives an ADMIN anyone, and null for an unknown id', async () => {
    const admin = await createUser(server, { role: Role.ADMIN });
    const other = await createUser(server);

    const known = await graphql(server.url, USER, {
      token: admin.token,
      variables: { id: other.id },
    });
    const unknown = await graphql(server.url, USER, {
      token: admin.token,
      variables: { id: '00000000-0000-4000-8000-000000000000' },
    });

    expect(known.data).toEqual({ user: expect.objectContaining({ id: other.id, role: 'USER' }) });
    expect(unknown.data).toEqual({ user: null });
    expect(unknown.errors).toBeUndefined();
  });
});

describe('updateMe', () => {
  const UPDATE = `mutation ($input: UpdateMeInput!) { updateMe(input: $input) { id name } }`;

  it('sets, keeps when omitted, and clears with null the name', async () => {
    const user = await createUser(server, { name: 'Before' });
    const update = (input: Record<string, unknown>) =>
      graphql<{ updateMe: { name: string | null } }>(server.url, UPDATE, {
        token: user.token,
        variables: { input },
      });

    expect((await update({ name: '  After  ' })).data?.updateMe.name).toBe('After');
    expect((await update({})).data?.updateMe.name).toBe('After');
    expect((await update({ name: null })).data?.updateMe.name).toBeNull();

    const me = await graphql(server.url, '{ me { name } }', { token: user.token });
    expect(me.data).toEqual({ me: { name: null } });
  });

  it('keeps the name when the input omits it in the query text', async () => {
    const user = await createUser(server, { name: 'Kept' });
    const response = await graphql(server.url, 'mutation { updateMe(input: {}) { name } }', {
      token: user.token,
    });
    expect(response.data).toEqual({ updateMe: { name: 'Kept' } });
  });

  it.each([
    ['longer than 100 characters', 'n'.repeat(101)],
    ['with a control character', 'a\u0007b'],
    ['with a right-to-left override', '\u202eevil'],
  ])('refuses a name %s as BAD_USER_INPUT on "name"', async (_label, name) => {
    const user = await createUser(server, { name: 'Unchanged' });
    const response = await graphql(server.url, UPDATE, {
      token: user.token,
      variables: { input: { name } },
    });

    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('name');
    const me = await graphql(server.url, '{ me { name } }', { token: user.token });
    expect(me.data).toEqual({ me: { name: 'Unchanged' } });
  });

  it('stores names with any character, emoji included', async () => {
    const user = await createUser(server);
    const name = 'Zoë 🦊 李 👩‍👩‍👧';
    const response = await graphql(server.url, UPDATE, {
      token: user.token,
      variables: { input: { name } },
    });
    expect(response.data).toEqual({ updateMe: { id: user.id, name } });
  });
});

describe('setUserRole', () => {
  const SET_ROLE = `mutation ($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id role } }`;

  it('lets an ADMIN promote a user, whose next request has the new role', async () => {
    const admin = await createUser(server, { role: Role.ADMIN });
    const user = await createUser(server);

    const response = await graphql(server.url, SET_ROLE, {
      token: admin.token,
      variables: { id: user.id, role: 'ADMIN' },
    });
    expect(response.data).toEqual({ setUserRole: { id: user.id, role: 'ADMIN' } });

    const users = await graphql(server.url, '{ users(first: 1) { totalCount } }', {
      token: user.token,
    });
    expect(users.errors).toBeUndefined();
  });

  it('is NOT_FOUND for an unknown id', async () => {
    const admin = await createUser(server, { role: Role.ADMIN });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const response = await graphql(server.url, SET_ROLE, {
        token: admin.token,
        variables: { id, role: 'USER' },
      });
      expect(response.status).toBe(200);
      expect(codes(response)).toEqual(['NOT_FOUND']);
    }
  });

  it('is FORBIDDEN for a USER, and changes nothing', async () => {
    const user = await createUser(server);
    const response = await graphql(server.url, SET_ROLE, {
      token: user.token,
      variables: { id: user.id, role: 'ADMIN' },
    });

    expect(codes(response)).toEqual(['FORBIDDEN']);
    const me = await graphql(server.url, '{ me { role } }', { token: user.token });
    expect(me.data).toEqual({ me: { role: 'USER' } });
  });

  it('refuses a role outside the enum with a 400', async () => {
    const admin = await createUser(server, { role: Role.ADMIN });
    const response = await graphql(server.url, SET_ROLE, {
      token: admin.token,
      variables: { id: admin.id, role: 'ROOT' },
    });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });
});
