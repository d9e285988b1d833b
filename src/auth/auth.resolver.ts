import { Arg, Mutation, Resolver } from 'type-graphql';

import { HashesPassword } from '../graphql/password-work.rule';
import { AuthPayload } from './auth-payload.type';
import { Public } from './auth.decorator';
import { AuthService } from './auth.service';
import { LoginInput } from './login.input';
import { SignupInput } from './signup.input';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @HashesPassword()
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs a token for it.' })
  signup(@Arg('input', () => SignupInput) input: SignupInput): Promise<AuthPayload> {
    return this.auth.signup(input);
  }

  @Public()
  @HashesPassword()
  @Mutation(() => AuthPayload, {
    description: 'Signs a token for an existing account. A stale token in the request is ignored.',
  })
  login(@Arg('input', () => LoginInput) input: LoginInput): Promise<AuthPayload> {
    return this.auth.login(input);
  }
}
