import argon2 from 'argon2';

import { codes, graphql } from '../helpers/graphql';
import { createUser, uniqueEmail } from '../helpers/factories';
import { startTestServer, TEST_ARGON2, type TestServer } from '../helpers/server';

const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { token user { id email } } }`;
const SIGNUP = `mutation ($input: SignupInput!) { signup(input: $input) { user { id } } }`;

interface LoginData {
  login: { token: string; user: { id: string; email: string } };
}

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

function login(email: string, password: string, headers?: Record<string, string>) {
  return graphql<LoginData>(server.url, LOGIN, {
    variables: { input: { email, password } },
    headers,
  });
}

// The parameters an encoded argon2id hash was made with.
function hashParameters(hash: string) {
  const match = /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash);
  if (!match) throw new Error(`Not an argon2id hash: ${hash}`);
  const params = Object.fromEntries(match[1].split(',').map((pair) => pair.split('=')));
  return {
    memoryCost: Number(params.m),
    timeCost: Number(params.t),
    parallelism: Number(params.p),
  };
}

async function storedHash(id: string): Promise<string> {
  const rows: { password_hash: string }[] = await server.dataSource.query(
    'SELECT password_hash FROM users WHERE id = ?',
    [id],
  );
  return rows[0].password_hash;
}

describe('login', () => {
  it('signs a token for the right password, whatever the case of the email', async () => {
    const user = await createUser(server);
    const response = await login(`  ${user.email.toUpperCase()}`, user.password);

    expect(response.status).toBe(200);
    expect(response.data?.login.user).toEqual({ id: user.id, email: user.email });
    const me = await graphql(server.url, '{ me { id } }', { token: response.data?.login.token });
    expect(me.data).toEqual({ me: { id: user.id } });
  });

  it('answers a wrong password and an unknown email alike, with 200', async () => {
    const user = await createUser(server);
    const wrongPassword = await login(user.email, 'not-the-password');
    const unknownEmail = await login(uniqueEmail('nobody'), user.password);

    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.data).toBeNull();
      expect(codes(response)).toEqual(['INVALID_CREDENTIALS']);
    }
    expect(unknownEmail.errors?.[0].message).toBe(wrongPassword.errors?.[0].message);
    expect(unknownEmail.errors?.[0].extensions).toEqual(wrongPassword.errors?.[0].extensions);
  });

  it('does one argon2 verification for an unknown email, as for a wrong password', async () => {
    const user = await createUser(server);
    const verify = jest.spyOn(argon2, 'verify');

    await login(user.email, 'not-the-password');
    const forWrongPassword = verify.mock.calls.length;
    verify.mockClear();
    await login(uniqueEmail('nobody'), 'not-the-password');
    const forUnknownEmail = verify.mock.calls.length;

    expect(forWrongPassword).toBe(1);
    expect(forUnknownEmail).toBe(1);
    // The stand-in hash is made with the configured parameters, so it costs the same.
    expect(hashParameters(verify.mock.calls[0][0])).toEqual(TEST_ARGON2);
  });

  it('treats a stored value that is not an argon2 hash as a wrong password', async () => {
    const user = await createUser(server);
    await server.dataSource.query('UPDATE users SET password_hash = ? WHERE id = ?', [
      'not-a-hash',
      user.id,
    ]);
    const verify = jest.spyOn(argon2, 'verify');

    const response = await login(user.email, user.password);

    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['INVALID_CREDENTIALS']);
    // The broken hash fails at once; the stand-in keeps the timing of a real check.
    expect(verify.mock.calls.map((call) => call[0])).toEqual([
      'not-a-hash',
      expect.stringMatching(/^\$argon2id\$/),
    ]);
  });

  it('upgrades a hash made with weaker parameters at the next login', async () => {
    const user = await createUser(server);
    const weak = await argon2.hash(user.password, {
      type: argon2.argon2id,
      memoryCost: 1024,
      timeCost: 1,
      parallelism: 1,
    });
    await server.dataSource.query('UPDATE users SET password_hash = ? WHERE id = ?', [
      weak,
      user.id,
    ]);

    const response = await login(user.email, user.password);

    expect(response.data?.login.user.id).toBe(user.id);
    const upgraded = await storedHash(user.id);
    expect(upgraded).not.toBe(weak);
    expect(hashParameters(upgraded)).toEqual(TEST_ARGON2);
    expect(await argon2.verify(upgraded, user.password)).toBe(true);
    expect((await login(user.email, user.password)).data?.login.user.id).toBe(user.id);
  });

  it('leaves a hash with the configured parameters alone', async () => {
    const user = await createUser(server);
    const before = await storedHash(user.id);

    await login(user.email, user.password);

    expect(await storedHash(user.id)).toBe(before);
  });

  it('succeeds while a stale or broken token is sent along', async () => {
    const user = await createUser(server);
    for (const authorization of ['Bearer expired.or.broken', 'Bearer ', 'Basic abc', '']) {
      const response = await login(user.email, user.password, { authorization });
      expect(response.status).toBe(200);
      expect(response.data?.login.user.id).toBe(user.id);
    }
  });

  it('refuses an oversized password as BAD_USER_INPUT without hashing it', async () => {
    const user = await createUser(server);
    const verify = jest.spyOn(argon2, 'verify');

    const response = await login(user.email, 'x'.repeat(50_000));

    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('password');
    expect(verify).not.toHaveBeenCalled();
  });
});

describe('passwords at signup', () => {
  async function signup(password: string) {
    return graphql<{ signup: { user: { id: string } } }>(server.url, SIGNUP, {
      variables: { input: { email: uniqueEmail(), password } },
    });
  }

  it.each([
    ['7 characters', 'a'.repeat(7)],
    ['129 characters', 'a'.repeat(129)],
    ['7 code points made of 14 UTF-16 units', '😀'.repeat(7)],
    ['a megabyte-sized string', 'a'.repeat(90_000)],
    ['an empty string', ''],
  ])('refuses %s as BAD_USER_INPUT on "password", without hashing', async (_label, password) => {
    const hash = jest.spyOn(argon2, 'hash');

    const response = await signup(password);

    expect(response.status).toBe(200);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('password');
    expect(hash).not.toHaveBeenCalled();
  });

  it.each([
    ['8 characters', 'a'.repeat(8)],
    ['128 characters', 'a'.repeat(128)],
    ['8 emoji, counted as code points', '😀'.repeat(8)],
  ])('accepts %s', async (_label, password) => {
    const response = await signup(password);
    expect(response.errors).toBeUndefined();
  });

  it('counts and hashes the NFKC form, so equivalent spellings log in', async () => {
    const email = uniqueEmail();
    // "ﬁ" (one ligature code point) becomes "fi" under NFKC.
    const typed = 'ﬁxed-password';
    await graphql(server.url, SIGNUP, { variables: { input: { email, password: typed } } });

    expect((await login(email, 'fixed-password')).data?.login.user.email).toBe(email);
    expect((await login(email, typed)).data?.login.user.email).toBe(email);
  });

  it('keeps the case of a password', async () => {
    const email = uniqueEmail();
    await graphql(server.url, SIGNUP, {
      variables: { input: { email, password: 'CaseMatters1' } },
    });

    expect(codes(await login(email, 'casematters1'))).toEqual(['INVALID_CREDENTIALS']);
  });
});

describe('emails at signup', () => {
  it.each([
    ['empty', '   '],
    ['without an @', 'not-an-email'],
    ['longer than 254 characters', `${'a'.repeat(250)}@example.test`],
    ['with spaces inside', 'a b@example.test'],
    ['with a NUL character', 'a\u0000b@example.test'],
    ['with a right-to-left override', 'a\u202eb@example.test'],
    ['with a zero-width space', 'a\u200bb@example.test'],
  ])('refuses an email %s as BAD_USER_INPUT on "email"', async (_label, email) => {
    const response = await graphql(server.url, SIGNUP, {
      variables: { input: { email, password: 'long-enough' } },
    });
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('email');
  });

  it('takes an accent typed as a combining mark as the same address', async () => {
    const local = `zoe-${Date.now()}`;
    const composed = `${local}\u00eb@example.test`;
    const decomposed = `${local}e\u0308@example.test`;
    await graphql(server.url, SIGNUP, {
      variables: { input: { email: composed, password: 'long-enough' } },
    });

    const again = await graphql(server.url, SIGNUP, {
      variables: { input: { email: decomposed, password: 'long-enough' } },
    });
    expect(codes(again)).toEqual(['EMAIL_TAKEN']);
    expect((await login(decomposed, 'long-enough')).data?.login.user.email).toBe(composed);
  });

  it('tells accented and plain emails apart', async () => {
    const local = `jos-${Date.now()}`;
    const accented = await graphql(server.url, SIGNUP, {
      variables: { input: { email: `${local}é@example.test`, password: 'long-enough' } },
    });
    const plain = await graphql(server.url, SIGNUP, {
      variables: { input: { email: `${local}e@example.test`, password: 'long-enough' } },
    });

    expect(accented.errors).toBeUndefined();
    expect(plain.errors).toBeUndefined();
  });
});
