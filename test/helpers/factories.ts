import { randomUUID } from 'node:crypto';

import { Role } from '../../src/users/role';
import { graphql } from './graphql';
import type { TestServer } from './server';

export interface CreatedUser {
  id: string;
  email: string;
  password: string;
  token: string;
}

/** A unique email, so that tests sharing a database never collide. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.test`;
}

/**
 * Signs a user up over HTTP, as a client would, then gives them `role` the way the
 * operator command does. The token was issued before the role changed, as in real use.
 */
export async function createUser(
  server: TestServer,
  { role = Role.USER, name }: { role?: Role; name?: string } = {},
): Promise<CreatedUser> {
  const email = uniqueEmail(role.toLowerCase());
  const password = `pw-${randomUUID()}`;
  const response = await graphql<{ signup: { token: string; user: { id: string } } }>(
    server.url,
    'mutation ($input: SignupInput!) { signup(input: $input) { token user { id } } }',
    { variables: { input: { email, password, name } } },
  );
  if (!response.data) throw new Error(`Signup failed: ${JSON.stringify(response.errors)}`);
  const { token, user } = response.data.signup;
  if (role !== Role.USER) await server.users.setRole(user.id, role);
  return { id: user.id, email, password, token };
}
