import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { DataSource } from 'typeorm';

import { AuthResolver } from './auth/auth.resolver';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/passwords';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { createDataSource } from './database/data-source';
import { createApolloServer } from './graphql/apollo';
import { createContextFunction } from './graphql/context';
import { buildAppSchema } from './graphql/schema';
import { createHttpApp } from './http/app';
import type { Logger } from './logger';
import { UserResolver } from './users/user.resolver';
import { UserService } from './users/user.service';

/** A started server and the parts of it that operators and tests may reach. */
export interface RunningServer {
  /** The GraphQL endpoint, such as `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  dataSource: DataSource;
  users: UserService;
  passwords: PasswordHasher;
  tokens: TokenService;
  /** Stops taking requests, lets open ones finish, then closes the database. */
  close(): Promise<void>;
}

/**
 * Starts the whole service: database and migrations, schema, Apollo and HTTP. `main.ts`
 * calls this, and so do the tests, so that what is tested is what runs.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const dataSource = createDataSource(config.database);
  await dataSource.initialize();
  try {
    if (config.runMigrations) {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      for (const migration of applied) {
        logger.info({ migration: migration.name }, 'Applied a migration.');
      }
    } else if (await dataSource.showMigrations()) {
      logger.warn('Migrations are pending and MIGRATIONS_RUN is off: run them before serving.');
    }
    return await serve(config, logger, dataSource);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

async function serve(
  config: Config,
  logger: Logger,
  dataSource: DataSource,
): Promise<RunningServer> {
  const users = new UserService(dataSource);
  const passwords = new PasswordHasher(config.argon2);
  const tokens = new TokenService(config.tokens);
  const auth = new AuthService(users, passwords, tokens, logger);

  // Made now, so that the first login for an unknown email costs what every later one does.
  await passwords.standInHash();

  const resolvers = new Map<unknown, unknown>([
    [AuthResolver, new AuthResolver(auth)],
    [UserResolver, new UserResolver(users)],
  ]);
  const schema = await buildAppSchema({ get: (resolverClass) => resolvers.get(resolverClass) });

  const httpServer = createServer();
  const apollo = createApolloServer({
    schema,
    introspection: config.introspection,
    httpServer,
    logger,
  });
  await apollo.start();
  httpServer.on(
    'request',
    createHttpApp({
      apollo,
      context: createContextFunction(tokens, users),
      dataSource,
      corsOrigins: config.corsOrigins,
      logger,
    }),
  );

  try {
    await listen(httpServer, config.port, config.host);
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  logger.info({ url: `http://${host}:${port}/graphql` }, 'Listening.');

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    dataSource,
    users,
    passwords,
    tokens,
    close: async () => {
      await apollo.stop();
      await dataSource.destroy();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
