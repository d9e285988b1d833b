import { randomBytes } from 'node:crypto';

import argon2 from 'argon2';

import type { Argon2Settings } from '../config';
import { ConcurrencyLimit } from './concurrency-limit';

/** Hashes and checks passwords with argon2id. Knows nothing of HTTP or GraphQL. */
export class PasswordHasher {
  private readonly limit: ConcurrencyLimit;
  private readonly options: {
    type: 0 | 1 | 2;
    memoryCost: number;
    timeCost: number;
    parallelism: number;
  };
  private standIn: Promise<string> | undefined;

  constructor(settings: Argon2Settings) {
    this.limit = new ConcurrencyLimit(settings.maxConcurrent);
    this.options = {
      type: argon2.argon2id,
      memoryCost: settings.memoryCost,
      timeCost: settings.timeCost,
      parallelism: settings.parallelism,
    };
  }

  /** Hashes a password with the configured parameters. */
  hash(password: string): Promise<string> {
    return this.limit.run(() => argon2.hash(password, this.options));
  }

  /**
   * Whether `password` matches `storedHash`. A stored value that is not an argon2 hash
   * counts as a mismatch, and still costs one verification, so that it cannot be told
   * apart from a wrong password by timing.
   */
  async verify(storedHash: string, password: string): Promise<boolean> {
    try {
      return await this.limit.run(() => argon2.verify(storedHash, password));
    } catch {
      await this.verifyAgainstStandIn(password);
      return false;
    }
  }

  /**
   * Does the work of one verification against a hash of a random password made with the
   * configured parameters: what a login for an unknown email costs, so that its timing
   * matches a wrong password's.
   */
  async verifyAgainstStandIn(password: string): Promise<void> {
    const standIn = await this.standInHash();
    await this.limit.run(() => argon2.verify(standIn, password));
  }

  /** Whether a stored hash was made with other parameters than the configured ones. */
  needsUpgrade(storedHash: string): boolean {
    try {
      return !storedHash.startsWith('$argon2id$') || argon2.needsRehash(storedHash, this.options);
    } catch {
      return true;
    }
  }

  /** The stand-in hash, made once, with the configured parameters. */
  standInHash(): Promise<string> {
    this.standIn ??= this.hash(randomBytes(32).toString('base64url'));
    return this.standIn;
  }
}
