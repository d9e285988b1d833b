import { createServer } from 'node:http';

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';

/**
 * The reference the service is measured against: Apollo Server answering `{ hello }` on the
 * service's own HTTP stack (express 5, @as-integrations/express5, express.json with the same
 * limit), with no schema of its own, no database and no authentication. Whatever the service
 * costs beyond this is its own doing.
 *
 * Environment: PORT (required), HOST (127.0.0.1 by default).
 */

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set.');
  const host = process.env.HOST ?? '127.0.0.1';

  const httpServer = createServer();
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello: String! }',
    resolvers: { Query: { hello: () => 'world' } },
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/graphql', express.json({ limit: '100kb' }), expressMiddleware(apollo));
  httpServer.on('request', app);

  await new Promise<void>((resolve) => httpServer.listen(port, host, resolve));

  const stop = (): void => {
    apollo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`The bare server could not start: ${String(error)}\n`);
  process.exit(1);
});
