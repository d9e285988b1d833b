import type { Logger } from '../logger';
import { InvalidCredentialsError } from '../graphql/errors';
import type { User } from '../users/user.entity';
import { normalizeName } from '../users/user-name';
import type { UserService } from '../users/user.service';
import { normalizeEmail, normalizeLoginPassword, normalizeNewPassword } from './credentials';
import type { PasswordHasher } from './passwords';
import type { TokenService } from './tokens';

export interface SignupRequest {
  email: string;
  password: string;
  name?: string | null;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface Session {
  token: string;
  expiresAt: Date;
  user: User;
}

/** Signup and login: turns credentials into a signed token. */
export class AuthService {
  constructor(
    private readonly users: UserService,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly logger: Logger,
  ) {}

  /** Creates an account and signs its first token. Input is checked before any hashing. */
  // Not yet: EMAIL_TAKEN, as the schema promises, tells anyone which emails have accounts;
  // only a rate limit would slow a sweep through a list of addresses.
  async signup(request: SignupRequest): Promise<Session> {
    const email = normalizeEmail(request.email);
    const password = normalizeNewPassword(request.password);
    const name = normalizeName(request.name ?? null);

    const passwordHash = await this.passwords.hash(password);
    const user = await this.users.create({ email, passwordHash, name });
    return this.sessionFor(user);
  }

  /**
   * Checks credentials and signs a token. An unknown email and a wrong password get the
   * same error after the same hashing work, so neither the answer nor its timing tells
   * which accounts exist.
   */
  // Not yet: no rate limit or lockout per account or per client. The argon2 concurrency limit
  // keeps a storm of logins from starving other requests, but guessing is bounded only by
  // the hashing rate; a limiter needs shared state (Redis) to hold across instances.
  async login(request: LoginRequest): Promise<Session> {
    const email = normalizeEmail(request.email);
    const password = normalizeLoginPassword(request.password);

    const user = await this.users.findByEmail(email);
    if (!user) {
      await this.passwords.verifyAgainstStandIn(password);
      throw new InvalidCredentialsError();
    }
    if (!(await this.passwords.verify(user.passwordHash, password))) {
      throw new InvalidCredentialsError();
    }

    if (this.passwords.needsUpgrade(user.passwordHash)) {
      await this.upgradeHash(user, password);
    }
    return this.sessionFor(user);
  }

  // The password is known to be right only now, so this is the one moment a hash made with
  // other parameters than the configured ones (older, weaker ones, mostly) can be replaced.
  private async upgradeHash(user: User, password: string): Promise<void> {
    try {
      const passwordHash = await this.passwords.hash(password);
      await this.users.setPasswordHash(user.id, passwordHash);
      user.passwordHash = passwordHash;
      this.logger.info(
        { userId: user.id },
        'Upgraded a password hash to the configured parameters.',
      );
    } catch (error) {
      this.logger.warn(
        { err: error, userId: user.id },
        'Could not upgrade a password hash; the login goes on and the next one tries again.',
      );
    }
  }

  private sessionFor(user: User): Session {
    return { ...this.tokens.sign(user.id, user.role), user };
  }
}
