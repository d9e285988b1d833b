import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

describe('routes', () => {
  it.each(['/GRAPHQL', '/graphql/', '/graphql/extra'])(
    'serves no GraphQL at %s, only a JSON 404',
    async (path) => {
      const response = await fetch(new URL(path, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: 'NOT_FOUND' } }],
      });
    },
  );
});

describe('GET /health', () => {
  it('answers 200 while the database answers', async () => {
    const response = await fetch(new URL('/health', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
