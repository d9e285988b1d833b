import argon2 from 'argon2';

import { codes, graphql } from '../helpers/graphql';
import { createUser, uniqueEmail } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

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

describe('password work per operation', () => {
  it.each([
    [
      'two aliased logins',
      `mutation ($e: String!, $p: String!) {
        a: login(input: { email: $e, password: $p }) { token }
        b: login(input: { email: $e, password: $p }) { token }
      }`,
    ],
    [
      'a login and a login in an inline fragment',
      `mutation ($e: String!, $p: String!) {
        login(input: { email: $e, password: $p }) { token }
        ... on Mutation { again: login(input: { email: $e, password: $p }) { token } }
      }`,
    ],
    [
      'logins spread from named fragments',
      `mutation ($e: String!, $p: String!) { ...One ...Two }
      fragment One on Mutation { one: login(input: { email: $e, password: $p }) { token } }
      fragment Two on Mutation { two: login(input: { email: $e, password: $p }) { token } }`,
    ],
    [
      'a signup beside a login',
      `mutation ($e: String!, $p: String!) {
        signup(input: { email: "fresh@example.test", password: $p }) { token }
        login(input: { email: $e, password: $p }) { token }
      }`,
    ],
  ])('refuses %s before any hashing', async (_label, query) => {
    const user = await createUser(server);
    const verify = jest.spyOn(argon2, 'verify');
    const hash = jest.spyOn(argon2, 'hash');

    const response = await graphql(server.url, query, {
      variables: { e: user.email, p: user.password },
    });

    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(verify).not.toHaveBeenCalled();
    expect(hash).not.toHaveBeenCalled();
  });

  it('allows one login beside other fields, and a login in each of two operations', async () => {
    const user = await createUser(server);
    const document = `
      mutation First($e: String!, $p: String!) {
        login(input: { email: $e, password: $p }) { user { id } }
        updateMe(input: {}) { id }
      }
      mutation Second($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }`;

    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({
        query: document,
        operationName: 'First',
        variables: { e: user.email, p: user.password },
      }),
    });

    expect(await response.json()).toEqual({
      data: { login: { user: { id: user.id } }, updateMe: { id: user.id } },
    });
  });

  it('creates no account when two signups arrive in one operation', async () => {
    const email = uniqueEmail();
    await graphql(
      server.url,
      `
        mutation ($e: String!) {
          a: signup(input: { email: $e, password: "long-enough" }) {
            token
          }
          b: signup(input: { email: $e, password: "long-enough" }) {
            token
          }
        }
      `,
      { variables: { e: email } },
    );

    const rows: unknown[] = await server.dataSource.query('SELECT id FROM users WHERE email = ?', [
      email,
    ]);
    expect(rows).toEqual([]);
  });
});
