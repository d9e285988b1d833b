import { startTestServer, type TestServer } from '../helpers/server';

const ALLOWED = 'https://app.example.test';

function preflight(server: TestServer, origin: string) {
  return fetch(server.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
}

describe('cross-origin requests', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('lets a listed origin send a token and read the 401 challenge', async () => {
    server = await startTestServer({
      env: { CORS_ORIGINS: `${ALLOWED}, https://other.example.test` },
    });

    const response = await preflight(server, ALLOWED);
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();

    const answer = await fetch(server.url, {
      method: 'POST',
      headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: 'Bearer x' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });

  it('gives an unlisted origin no permission', async () => {
    server = await startTestServer({ env: { CORS_ORIGINS: ALLOWED } });
    const response = await preflight(server, 'https://evil.example.test');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no cross-origin headers unless CORS_ORIGINS is set', async () => {
    server = await startTestServer();
    const response = await preflight(server, ALLOWED);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
