import { brotliCompressSync, gzipSync } from 'node:zlib';

import { createUser, type CreatedUser, uniqueEmail } from '../helpers/factories';
import { codes, graphql } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectNoInternals } from './expectations';
import { rawRequest, type RawResponse } from './raw-request';

const JSON_TYPE = { 'content-type': 'application/json' };

// How long a request meant to be expensive may take before it counts as unbounded. Far
// above what these take here (well under a second each), so that a slow machine passes.
const BOUND_MS = 10_000;

let server: TestServer;
let user: CreatedUser;

beforeAll(async () => {
  server = await startTestServer();
  user = await createUser(server);
});

afterAll(async () => {
  await server.stop();
});

// A GraphQL-shaped JSON error answer: the status, one error with `code`, nothing internal.
function expectJsonError(response: RawResponse, status: number, code?: string): void {
  expect(response.status).toBe(status);
  expect(response.contentType).toMatch(/^application\/json/);
  expect(response.errors?.length).toBeGreaterThan(0);
  if (code !== undefined) expect(codes(response)).toEqual([code]);
  expectNoInternals(response);
}

// The server still answers, and answers correctly, after an attack.
async function expectStillServing(): Promise<void> {
  const response = await graphql(server.url, '{ me { id } }', { token: user.token });
  expect(response.data).toEqual({ me: { id: user.id } });
}

function postJson(body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(server.url, { headers: { ...JSON_TYPE, ...headers }, body });
}

async function timed(request: () => Promise<RawResponse>): Promise<RawResponse> {
  const started = Date.now();
  const response = await request();
  expect(Date.now() - started).toBeLessThan(BOUND_MS);
  return response;
}

describe('request bodies', () => {
  it('answers a JSON body over 100 kB with a JSON 413', async () => {
    const body = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(110 * 1024)}` });
    const response = await postJson(body);

    expectJsonError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a chunked body over 100 kB with a JSON 413', async () => {
    const body = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(150 * 1024)}` });
    const response = await postJson(body, { 'transfer-encoding': 'chunked' });

    expectJsonError(response, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers a body just under 100 kB normally (the control)', async () => {
    const body = JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(90 * 1024)}` });
    const response = await postJson(body, { authorization: `Bearer ${user.token}` });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: { id: user.id } });
  });

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])(
    'answers a small %s body that inflates beyond 100 kB with a JSON 413',
    async (encoding, compress) => {
      const inflated = JSON.stringify({ query: `{ me { id } } # ${' '.repeat(2 * 1024 * 1024)}` });
      const response = await timed(() =>
        rawRequest(server.url, {
          headers: { ...JSON_TYPE, 'content-encoding': encoding },
          body: compress(Buffer.from(inflated)),
        }),
      );

      expectJsonError(response, 413, 'PAYLOAD_TOO_LARGE');
    },
  );

  it('answers a small gzip body normally (the control)', async () => {
    const response = await rawRequest(server.url, {
      headers: { ...JSON_TYPE, 'content-encoding': 'gzip', authorization: `Bearer ${user.token}` },
      body: gzipSync(Buffer.from(JSON.stringify({ query: '{ me { id } }' }))),
    });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: { id: user.id } });
  });

  it.each([
    ['truncated JSON', '{"query": "{ me { id } }"'],
    ['a bare word', 'query'],
    ['a trailing comma', '{"query": "{ me { id } }",}'],
    ['a JSON string', '"{ me { id } }"'],
    ['JSON null', 'null'],
  ])('answers %s with a JSON 400', async (_label, body) => {
    const response = await postJson(body);

    expectJsonError(response, 400);
  });

  it.each([
    ['a query that is not a string', { query: 1 }],
    ['no query at all', { variables: {} }],
    ['variables that are not an object', { query: '{ me { id } }', variables: 'x' }],
  ])('answers %s with a JSON 400', async (_label, body) => {
    const response = await postJson(JSON.stringify(body));

    expectJsonError(response, 400);
  });

  it('refuses a batched array cleanly and runs none of it', async () => {
    const email = uniqueEmail('batch');
    const signup = {
      query: 'mutation ($input: SignupInput!) { signup(input: $input) { token } }',
      variables: { input: { email, password: 'a long enough password' } },
    };
    const response = await postJson(JSON.stringify([signup, { query: '{ me { id } }' }]));

    expectJsonError(response, 400);
    expect(await server.users.findByEmail(email)).toBeNull();
  });
});

describe('methods and CSRF prevention', () => {
  it('refuses a mutation over GET with 405', async () => {
    const query = `mutation { login(input: { email: "${user.email}", password: "${user.password}" }) { token } }`;
    const response = await rawRequest(server.url, {
      method: 'GET',
      search: `?query=${encodeURIComponent(query)}`,
      headers: { 'apollo-require-preflight': 'true' },
    });

    expectJsonError(response, 405);
    expect(response.data).toBeUndefined();
  });

  it('refuses a GET without a preflight header with 400', async () => {
    const response = await rawRequest(server.url, {
      method: 'GET',
      search: `?query=${encodeURIComponent('{ me { id } }')}`,
      headers: { authorization: `Bearer ${user.token}` },
    });

    expectJsonError(response, 400);
    expect(response.data).toBeUndefined();
  });

  it('answers a GET query with a preflight header (the control)', async () => {
    const response = await rawRequest(server.url, {
      method: 'GET',
      search: `?query=${encodeURIComponent('{ me { id } }')}`,
      headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
    });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: { id: user.id } });
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a %s POST without a preflight header with 400',
    async (contentType) => {
      const response = await rawRequest(server.url, {
        headers: { 'content-type': contentType, authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query: 'mutation { updateMe(input: { name: "Forged" }) { id } }' }),
      });

      expectJsonError(response, 400);
      expect(response.data).toBeUndefined();
      expect((await server.users.findById(user.id))?.name).not.toBe('Forged');
    },
  );

  it('refuses a text/plain POST even with a preflight header, as no JSON was read', async () => {
    const response = await rawRequest(server.url, {
      headers: { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });

    expectJsonError(response, 400);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])(
    'refuses %s on the endpoint with a JSON 4xx',
    async (method) => {
      const response = await rawRequest(server.url, {
        method,
        headers: JSON_TYPE,
        body: JSON.stringify({ query: '{ me { id } }' }),
      });

      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.contentType).toMatch(/^application\/json/);
      expectNoInternals(response);
    },
  );
});

describe('paths', () => {
  it.each(['/', '/nope', '/admin', '/.env', '/graphqlx', '/%2e%2e/etc/passwd'])(
    'answers GET %s with a JSON 404',
    async (path) => {
      const response = await rawRequest(server.url, { method: 'GET', path });

      expectJsonError(response, 404, 'NOT_FOUND');
    },
  );

  it.each(['/api/graphql', '/graphql/extra', '/graphql/admin/users'])(
    'answers a POST to the unknown path %s with a JSON 404',
    async (path) => {
      const response = await rawRequest(server.url, {
        path,
        headers: { ...JSON_TYPE, authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });

      expectJsonError(response, 404, 'NOT_FOUND');
      expect(response.data).toBeUndefined();
    },
  );
});

describe('expensive documents within 100 kB', () => {
  it('refuses a deeply nested selection quickly and keeps serving', async () => {
    const depth = 12_000;
    const query = `{ ${'me { '.repeat(depth)}id${' }'.repeat(depth)} }`;
    const response = await timed(() => postJson(JSON.stringify({ query })));

    expectJsonError(response, 400);
    await expectStillServing();
  });

  it('refuses a deeply nested list of brackets quickly and keeps serving', async () => {
    const response = await timed(() => postJson(JSON.stringify({ query: '{'.repeat(90_000) })));

    expectJsonError(response, 400);
    await expectStillServing();
  });

  it('answers or refuses a field repeated thousands of times quickly and keeps serving', async () => {
    const query = `{ ${'me { id } '.repeat(9_000)} }`;
    const response = await timed(() => postJson(JSON.stringify({ query })));

    expect(response.status).toBeLessThan(500);
    expectNoInternals(response);
    await expectStillServing();
  });

  it('answers thousands of aliases quickly and keeps serving', async () => {
    const aliases = Array.from({ length: 5_000 }, (_, index) => `a${index}: me { id }`);
    const body = JSON.stringify({ query: `{ ${aliases.join(' ')} }` });
    expect(body.length).toBeLessThan(100 * 1024);
    const response = await timed(() => postJson(body, { authorization: `Bearer ${user.token}` }));

    expect(response.status).toBe(200);
    expect(Object.keys(response.data ?? {})).toHaveLength(5_000);
    await expectStillServing();
  });

  it('answers fragments that double thirty times over quickly and keeps serving', async () => {
    const fragments = Array.from(
      { length: 30 },
      (_, index) => `fragment F${index} on Query { me { id } ...F${index + 1} ...F${index + 1} }`,
    );
    const query = `{ ...F0 } ${fragments.join(' ')} fragment F30 on Query { me { id } }`;
    const response = await timed(() => postJson(JSON.stringify({ query })));

    expect(response.status).toBeLessThan(500);
    expectNoInternals(response);
    await expectStillServing();
  });

  // The credentials are right, so each alias would cost a real password verification.
  it('refuses two hundred aliased logins in one request and keeps serving', async () => {
    const logins = Array.from(
      { length: 200 },
      (_, index) => `l${index}: login(input: $input) { token }`,
    );
    const body = JSON.stringify({
      query: `mutation ($input: LoginInput!) { ${logins.join(' ')} }`,
      variables: { input: { email: user.email, password: user.password } },
    });
    expect(body.length).toBeLessThan(100 * 1024);
    const response = await timed(() => postJson(body));

    expect(response.status).toBe(400);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(response.data).toBeUndefined();
    await expectStillServing();
  });

  it('refuses deeply nested variables quickly and keeps serving', async () => {
    const depth = 10_000;
    const nested = `${'{"name":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
    const body = `{"query":"mutation ($input: UpdateMeInput!) { updateMe(input: $input) { id } }","variables":{"input":${nested}}}`;
    const response = await timed(() => postJson(body, { authorization: `Bearer ${user.token}` }));

    expectJsonError(response, 400);
    await expectStillServing();
  });
});
