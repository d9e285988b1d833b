import { randomUUID } from 'node:crypto';

import { Role } from '../../src/users/role';
import { type CreatedUser, createUser, uniqueEmail } from '../helpers/factories';
import { codes, graphql, type GraphQLResponse } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectNoInternals, expectUnauthenticated } from './expectations';
import { rawRequest, utf8HeaderValue } from './raw-request';

// Every field that needs identity, each asked for on its own so that each must fail by
// itself: `$id` is another account, which an ADMIN token would be allowed to touch.
const PROTECTED_OPERATIONS = [
  '{ me { id } }',
  'query ($id: ID!) { user(id: $id) { id } }',
  '{ users { totalCount } }',
  'mutation { updateMe(input: { name: "Mallory" }) { id } }',
  'mutation ($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }',
];
const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { token user { id } } }';
const SIGNUP = 'mutation ($input: SignupInput!) { signup(input: $input) { token user { id } } }';

interface MalformedHeader {
  title: string;
  value: () => string | string[];
}

let server: TestServer;
let admin: CreatedUser;
let user: CreatedUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createUser(server, { role: Role.ADMIN });
  user = await createUser(server);
});

afterAll(async () => {
  await server.stop();
});

// One GraphQL request with an Authorization header sent byte for byte; an array sends one
// header line per value.
function send(
  query: string,
  variables: Record<string, unknown>,
  authorization: string | string[],
): Promise<GraphQLResponse<unknown>> {
  return rawRequest(server.url, {
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query, variables }),
  });
}

const MALFORMED: MalformedHeader[] = [
  { title: 'an empty value', value: () => '' },
  { title: 'the scheme alone', value: () => 'Bearer' },
  { title: 'the scheme and a space', value: () => 'Bearer ' },
  { title: 'Basic credentials', value: () => 'Basic dXNlcjpwYXNzd29yZA==' },
  { title: 'garbage', value: () => 'garbage' },
  { title: 'a bearer value that is no JWT', value: () => 'Bearer not-a-token' },
  { title: 'a valid token without a scheme', value: () => admin.token },
  { title: 'a valid token under another scheme', value: () => `Token ${admin.token}` },
  { title: 'a valid token after a tab', value: () => `Bearer\t${admin.token}` },
  { title: 'the scheme twice', value: () => `Bearer Bearer ${admin.token}` },
  { title: 'a token of 5 kB', value: () => `Bearer ${'a'.repeat(5 * 1024)}` },
  {
    title: 'a valid token padded beyond 4 kB',
    value: () => `Bearer ${admin.token}${'A'.repeat(4 * 1024)}`,
  },
  { title: 'a token of 12 kB', value: () => `Bearer ${'x.'.repeat(6 * 1024)}` },
  { title: 'a latin-1 character', value: () => 'Bearer caf\u00e9' },
  { title: 'UTF-8 letters', value: () => utf8HeaderValue('Bearer ключ') },
  { title: 'a valid token with an emoji', value: () => utf8HeaderValue(`Bearer ${admin.token}🔑`) },
  {
    title: 'a valid token with a space inside',
    value: () => `Bearer ${admin.token.slice(0, 40)} ${admin.token.slice(40)}`,
  },
  { title: 'two tokens after one scheme', value: () => `Bearer ${admin.token} ${user.token}` },
  {
    title: 'two bearer credentials in one line',
    value: () => `Bearer ${admin.token}, Bearer ${user.token}`,
  },
  {
    title: 'two Authorization lines, garbage first',
    value: () => ['Bearer garbage', `Bearer ${admin.token}`],
  },
  {
    title: 'two Authorization lines, each a valid token',
    value: () => [`Bearer ${user.token}`, `Bearer ${admin.token}`],
  },
];

describe('the Authorization header', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])(
    'accepts a valid token under the scheme spelled %s',
    async (scheme) => {
      const response = await send('{ me { id } }', {}, `${scheme} ${admin.token}`);

      expect(response.status).toBe(200);
      expect(response.data).toEqual({ me: { id: admin.id } });
    },
  );

  it('treats a request without the header as anonymous', async () => {
    const response = await graphql(server.url, '{ me { id } }');

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: null });
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  describe.each(MALFORMED)('holding $title', ({ value }) => {
    it('fails every field that needs identity, me included, as TOKEN_INVALID', async () => {
      for (const operation of PROTECTED_OPERATIONS) {
        const response = await send(operation, { id: user.id }, value());

        expectUnauthenticated(response, 'TOKEN_INVALID');
        expect(codes(response)).toEqual(['UNAUTHENTICATED']);
        expect(Object.values(response.data ?? {}).filter((field) => field !== null)).toEqual([]);
      }
      expect((await server.users.findById(user.id))?.role).toBe(Role.USER);
    });

    it('still lets the caller log in and sign up', async () => {
      const login = await send(
        LOGIN,
        { input: { email: user.email, password: user.password } },
        value(),
      );
      expect(login.status).toBe(200);
      expect(login.errors).toBeUndefined();
      expect(login.data).toEqual({ login: { token: expect.any(String), user: { id: user.id } } });

      const signup = await send(
        SIGNUP,
        { input: { email: uniqueEmail('header'), password: 'a long enough password' } },
        value(),
      );
      expect(signup.status).toBe(200);
      expect(signup.errors).toBeUndefined();
      expect(signup.data).toEqual({
        signup: { token: expect.any(String), user: { id: expect.any(String) } },
      });
    });
  });
});

describe('an anonymous caller', () => {
  it.each([
    { field: 'user(id:)', query: '{ user(id: "%ID%") { id } }' },
    { field: 'users', query: '{ users { totalCount } }' },
    { field: 'updateMe', query: 'mutation { updateMe(input: { name: "Anon" }) { id } }' },
    { field: 'setUserRole', query: 'mutation { setUserRole(id: "%ID%", role: ADMIN) { id } }' },
  ])('is UNAUTHENTICATED without a reason on $field', async ({ query }) => {
    const response = await graphql(server.url, query.replace('%ID%', user.id));

    expectUnauthenticated(response);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('gets the same answer from user(id:) for a known and an unknown id', async () => {
    const known = await graphql(server.url, `{ user(id: "${user.id}") { id } }`);
    const unknown = await graphql(server.url, `{ user(id: "${randomUUID()}") { id } }`);

    expect(unknown.status).toBe(known.status);
    expect(unknown.errors).toEqual(known.errors);
  });

  it('gets 401 when a public field succeeds beside a protected one', async () => {
    const response = await graphql(server.url, `{ me { id } user(id: "${user.id}") { id } }`);

    expectUnauthenticated(response);
    expect(response.data).toEqual({ me: null, user: null });
  });
});

describe('a token whose user was deleted', () => {
  let deleted: CreatedUser;

  beforeAll(async () => {
    deleted = await createUser(server, { role: Role.ADMIN });
    // The control: until its row goes, the token signs its user in.
    const before = await graphql(server.url, '{ me { id } }', { token: deleted.token });
    expect(before.data).toEqual({ me: { id: deleted.id } });

    await server.dataSource.query('DELETE FROM users WHERE id = ?', [deleted.id]);
  });

  it.each([
    { field: 'me', query: '{ me { id } }' },
    { field: 'user(id:)', query: '{ user(id: "%ID%") { id } }' },
    { field: 'users', query: '{ users { totalCount } }' },
    { field: 'updateMe', query: 'mutation { updateMe(input: { name: "Ghost" }) { id } }' },
    { field: 'setUserRole', query: 'mutation { setUserRole(id: "%ID%", role: ADMIN) { id } }' },
  ])('is UNAUTHENTICATED as USER_NOT_FOUND on $field', async ({ query }) => {
    const response = await graphql(server.url, query.replace('%ID%', deleted.id), {
      token: deleted.token,
    });

    expectUnauthenticated(response, 'USER_NOT_FOUND');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('mixed results', () => {
  it('answer 401 when a bad token fails me and users together', async () => {
    const response = await graphql(server.url, '{ me { id } users { totalCount } }', {
      headers: { authorization: 'Bearer garbage' },
    });

    expectUnauthenticated(response, 'TOKEN_INVALID');
    expect(response.data ?? null).toBeNull();
  });

  it('answer 401 when a login succeeds before a field that needs identity', async () => {
    const response = await send(
      `mutation ($input: LoginInput!) {
        login(input: $input) { token }
        updateMe(input: { name: "After login" }) { id }
      }`,
      { input: { email: user.email, password: user.password } },
      'Bearer garbage',
    );

    expectUnauthenticated(response, 'TOKEN_INVALID');
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('do not turn a FORBIDDEN answer into a 401 (the control)', async () => {
    const response = await graphql(server.url, '{ me { id } users { totalCount } }', {
      token: user.token,
    });

    expect(response.status).not.toBe(401);
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expectNoInternals(response);
  });
});
