import { createHmac, createSign, type KeyObject } from 'node:crypto';

import { TEST_SECRET } from './server';

/** The `iss` and `aud` the test servers expect: the service's defaults. */
export const TOKEN_ISSUER = 'identity-graphql';
export const TOKEN_AUDIENCE = 'identity-graphql';

/** A JOSE header or a claim set; a claim set to `undefined` is left out of the token. */
export type JsonObject = Record<string, unknown>;

/** The HMAC algorithms a test may sign with, and the hash each one uses. */
const HMAC_HASHES = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
export type HmacAlgorithm = keyof typeof HMAC_HASHES;

export interface HmacOptions {
  alg?: HmacAlgorithm;
  /** The HMAC key; the test servers' own secret unless another is given. */
  key?: string | Buffer;
  /** Extra or replaced header fields, such as `typ` or `kid`. */
  header?: JsonObject;
}

/** The current time in whole seconds, as JWT claims count it. */
export function nowInSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Claims that the test servers accept for `userId` right now. Every forgery in the security
 * tests is a variation of these, so that a refusal can only come from the variation.
 */
export function validClaims(userId: string, overrides: JsonObject = {}): JsonObject {
  const now = nowInSeconds();
  return {
    sub: userId,
    role: 'USER',
    iat: now,
    exp: now + 15 * 60,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    ...overrides,
  };
}

/**
 * Builds a JWT by hand and signs it with an HMAC, so that a test controls every byte:
 * jsonwebtoken's `sign` would refuse some of the malformed claims the tests need.
 */
export function signWithHmac(claims: JsonObject, options: HmacOptions = {}): string {
  const alg = options.alg ?? 'HS256';
  const signingInput = `${encodeSegment({ alg, typ: 'JWT', ...options.header })}.${encodeSegment(claims)}`;
  const signature = createHmac(HMAC_HASHES[alg], options.key ?? TEST_SECRET)
    .update(signingInput)
    .digest('base64url');
  return `${signingInput}.${signature}`;
}

/** Builds a JWT signed RS256 with `privateKey`: a key the server has never seen. */
export function signWithRsa(claims: JsonObject, privateKey: KeyObject): string {
  const signingInput = `${encodeSegment({ alg: 'RS256', typ: 'JWT' })}.${encodeSegment(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey, 'base64url');
  return `${signingInput}.${signature}`;
}

/** Builds an unsecured JWT (`alg` is `none` in some spelling) with an empty signature. */
export function unsigned(claims: JsonObject, alg = 'none', signature = ''): string {
  return `${encodeSegment({ alg, typ: 'JWT' })}.${encodeSegment(claims)}.${signature}`;
}

/** The three dot-separated parts of a compact JWT. */
export function splitToken(token: string): { header: string; payload: string; signature: string } {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return { header, payload, signature };
}

/** The claims of a compact JWT, read without any verification. */
export function readClaims(token: string): JsonObject {
  return JSON.parse(
    Buffer.from(splitToken(token).payload, 'base64url').toString('utf8'),
  ) as JsonObject;
}

/** Encodes a header or a claim set as a base64url JWT segment. */
export function encodeSegment(value: JsonObject): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
