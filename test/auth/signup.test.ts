import { codes, dataOf, graphql } from '../helpers/graphql';
import { uniqueEmail } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const SIGNUP = `mutation ($input: SignupInput!) {
  signup(input: $input) { token expiresAt user { id email name role createdAt } }
}`;

interface SignupData {
  signup: {
    token: string;
    expiresAt: string;
    user: { id: string; email: string; name: string | null; role: string; createdAt: string };
  };
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

describe('signup', () => {
  it('creates a USER with a trimmed, lower-cased email and returns a token', async () => {
    const email = uniqueEmail('Mixed.Case');
    const response = await graphql<SignupData>(server.url, SIGNUP, {
      variables: {
        input: { email: `  ${email.toUpperCase()} `, password: 'correct horse', name: ' Ada ' },
      },
    });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    const { token, expiresAt, user } = dataOf(response).signup;
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: email.toLowerCase(),
      name: 'Ada',
      role: 'USER',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(Math.abs(Date.parse(user.createdAt) - Date.now())).toBeLessThan(60_000);

    // Fifteen minutes by default, and the same moment as the token's own `exp`.
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as {
      exp: number;
    };
    expect(Date.parse(expiresAt)).toBe(claims.exp * 1000);
    expect(Math.abs(Date.parse(expiresAt) - Date.now() - 15 * 60_000)).toBeLessThan(60_000);

    const me = await graphql<{ me: { id: string } }>(server.url, '{ me { id } }', { token });
    expect(me.data).toEqual({ me: { id: user.id } });
  });

  it('refuses a second account with the same email as EMAIL_TAKEN', async () => {
    const email = uniqueEmail();
    const input = { email, password: 'password-one' };
    await graphql(server.url, SIGNUP, { variables: { input } });

    const again = await graphql(server.url, SIGNUP, {
      variables: { input: { email: email.toUpperCase(), password: 'password-two' } },
    });
    expect(again.status).toBe(200);
    expect(codes(again)).toEqual(['EMAIL_TAKEN']);
    expect(again.data).toBeNull();
  });

  it('gives exactly one of ten simultaneous signups of one email an account', async () => {
    const email = uniqueEmail('race');
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        graphql(server.url, SIGNUP, {
          variables: { input: { email, password: `password-${index}` } },
        }),
      ),
    );

    const succeeded = responses.filter((response) => response.data?.signup);
    expect(succeeded).toHaveLength(1);
    const failures = responses.filter((response) => !response.data?.signup);
    expect(failures.map((response) => codes(response))).toEqual(
      Array.from({ length: 9 }, () => ['EMAIL_TAKEN']),
    );
    for (const failure of failures) {
      expect(failure.status).toBe(200);
      expect(JSON.stringify(failure.errors)).not.toMatch(/insert|constraint|duplicate|sql/i);
    }
  });
});
