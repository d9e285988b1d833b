import { generateKeyPairSync, type KeyObject } from 'node:crypto';

import { Role } from '../../src/users/role';
import { type CreatedUser, createUser } from '../helpers/factories';
import { graphql } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import {
  encodeSegment,
  type JsonObject,
  nowInSeconds,
  readClaims,
  signWithHmac,
  signWithRsa,
  splitToken,
  unsigned,
  validClaims,
} from '../helpers/tokens';
import { expectNoInternals, expectUnauthenticated } from './expectations';

// Both fields at once: a forgery that got through would show up as an id and a count.
const ME_AND_USERS = '{ me { id } users { totalCount } }';

interface MeAndUsers {
  me: { id: string } | null;
  users: { totalCount: number };
}

interface Forgery {
  title: string;
  forge: () => string;
  reason: 'TOKEN_INVALID' | 'TOKEN_EXPIRED';
}

let server: TestServer;
let admin: CreatedUser;
let user: CreatedUser;
let attackerKeys: { privateKey: KeyObject; publicKey: KeyObject };

beforeAll(async () => {
  server = await startTestServer();
  admin = await createUser(server, { role: Role.ADMIN });
  user = await createUser(server);
  attackerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
});

afterAll(async () => {
  await server.stop();
});

// Claims for the admin, with `role` saying so: a forgery accepted would hold every right.
function adminClaims(overrides: JsonObject = {}): JsonObject {
  return validClaims(admin.id, { role: 'ADMIN', ...overrides });
}

// The user's own server-signed token with its payload swapped and the signature kept.
function withPayloadOf(token: string, change: (claims: JsonObject) => JsonObject): string {
  const { header, signature } = splitToken(token);
  return `${header}.${encodeSegment(change(readClaims(token)))}.${signature}`;
}

const FORGERIES: Forgery[] = [
  {
    title: 'an unsecured token (alg "none")',
    forge: () => unsigned(adminClaims()),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'an unsecured token spelled "None"',
    forge: () => unsigned(adminClaims(), 'None'),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'an unsecured token spelled "NONE"',
    forge: () => unsigned(adminClaims(), 'NONE'),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'an alg "none" token carrying an HS256 signature',
    forge: () => unsigned(adminClaims(), 'none', splitToken(signWithHmac(adminClaims())).signature),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed HS384 with the server secret',
    forge: () => signWithHmac(adminClaims(), { alg: 'HS384' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed HS512 with the server secret',
    forge: () => signWithHmac(adminClaims(), { alg: 'HS512' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed RS256 with a key pair the server never saw',
    forge: () => signWithRsa(adminClaims(), attackerKeys.privateKey),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed HS256 with a public key as the secret (key confusion)',
    forge: () =>
      signWithHmac(adminClaims(), {
        key: attackerKeys.publicKey.export({ type: 'spki', format: 'pem' }),
      }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed with another secret',
    forge: () => signWithHmac(adminClaims(), { key: 'another-secret-of-the-same-length-as-ours' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token signed with an empty secret',
    forge: () => signWithHmac(adminClaims(), { key: '' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a real token whose role was flipped to ADMIN',
    forge: () => withPayloadOf(user.token, (claims) => ({ ...claims, role: 'ADMIN' })),
    reason: 'TOKEN_INVALID',
  },
  {
    title: "a real token whose subject was changed to the admin's id",
    forge: () => withPayloadOf(user.token, (claims) => ({ ...claims, sub: admin.id })),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a real token whose header was rewritten',
    forge: () => {
      const { payload, signature } = splitToken(user.token);
      return `${encodeSegment({ alg: 'HS256', typ: 'JWT', kid: 'other' })}.${payload}.${signature}`;
    },
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a real token with its signature emptied',
    forge: () => {
      const { header, payload } = splitToken(user.token);
      return `${header}.${payload}.`;
    },
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a real token with its signature cut off',
    forge: () => {
      const { header, payload } = splitToken(user.token);
      return `${header}.${payload}`;
    },
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a real token with a fourth segment',
    forge: () => `${user.token}.${splitToken(user.token).signature}`,
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token that expired beyond the clock tolerance',
    forge: () => adminClaimsToken({ iat: nowInSeconds() - 960, exp: nowInSeconds() - 60 }),
    reason: 'TOKEN_EXPIRED',
  },
  {
    title: 'a token that expired a day ago',
    forge: () => adminClaimsToken({ iat: nowInSeconds() - 87_300, exp: nowInSeconds() - 86_400 }),
    reason: 'TOKEN_EXPIRED',
  },
  {
    title: 'a token whose nbf lies beyond the clock tolerance',
    forge: () => adminClaimsToken({ nbf: nowInSeconds() + 60 }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token whose iat lies beyond the clock tolerance',
    forge: () => adminClaimsToken({ iat: nowInSeconds() + 60, exp: nowInSeconds() + 960 }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token without sub',
    forge: () => adminClaimsToken({ sub: undefined }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token whose sub is a number',
    forge: () => adminClaimsToken({ sub: 1 }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token whose sub is an array holding the id',
    forge: () => adminClaimsToken({ sub: [admin.id] }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token whose sub is an object',
    forge: () => adminClaimsToken({ sub: { id: admin.id } }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token without exp',
    forge: () => adminClaimsToken({ exp: undefined }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token whose exp is not a number',
    forge: () => adminClaimsToken({ exp: String(nowInSeconds() + 900) }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token from another issuer',
    forge: () => adminClaimsToken({ iss: 'someone-else' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token without iss',
    forge: () => adminClaimsToken({ iss: undefined }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token for another audience',
    forge: () => adminClaimsToken({ aud: 'another-service' }),
    reason: 'TOKEN_INVALID',
  },
  {
    title: 'a token without aud',
    forge: () => adminClaimsToken({ aud: undefined }),
    reason: 'TOKEN_INVALID',
  },
];

function adminClaimsToken(overrides: JsonObject): string {
  return signWithHmac(adminClaims(overrides));
}

describe('token verification', () => {
  it('accepts the control: the same claims signed HS256 with the server secret', async () => {
    const response = await graphql<MeAndUsers>(server.url, ME_AND_USERS, {
      token: adminClaimsToken({}),
    });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.me).toEqual({ id: admin.id });
    expect(response.data?.users.totalCount).toBeGreaterThanOrEqual(2);
  });

  it("accepts the control: the user's own token, untouched", async () => {
    const response = await graphql<{ me: { id: string } }>(server.url, '{ me { id } }', {
      token: user.token,
    });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: { id: user.id } });
  });

  it.each(FORGERIES)('refuses $title', async ({ forge, reason }) => {
    const response = await graphql(server.url, ME_AND_USERS, { token: forge() });

    expectUnauthenticated(response, reason);
    expect(response.data ?? null).toBeNull();
  });

  it.each([
    { title: 'expired less than the tolerance ago', claims: () => ({ exp: nowInSeconds() - 10 }) },
    {
      title: 'whose nbf is within the tolerance ahead',
      claims: () => ({ nbf: nowInSeconds() + 10 }),
    },
    {
      title: 'whose iat is within the tolerance ahead',
      claims: () => ({ iat: nowInSeconds() + 10 }),
    },
  ])('accepts a token $title', async ({ claims }) => {
    const response = await graphql<{ me: { id: string } }>(server.url, '{ me { id } }', {
      token: adminClaimsToken(claims()),
    });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: { id: admin.id } });
    expectNoInternals(response);
  });
});
