import type { Server } from 'node:http';

import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';

import type { Logger } from '../logger';
import type { RequestContext } from './context';
import { createErrorFormatter } from './format-error';
import { OnePasswordCheckPerOperation } from './password-work.rule';

export interface ApolloSettings {
  schema: GraphQLSchema;
  introspection: boolean;
  httpServer: Server;
  logger: Logger;
}

/** The Apollo server for the schema; it drains open requests when the HTTP server stops. */
export function createApolloServer(settings: ApolloSettings): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema: settings.schema,
    introspection: settings.introspection,
    validationRules: [OnePasswordCheckPerOperation],
    formatError: createErrorFormatter(settings.logger),
    includeStacktraceInErrorResponses: false,
    logger: settings.logger,
    plugins: [
      // Answers depend on the caller, so no shared cache may keep them: the cache-control
      // plugin would only spend time on hints per field that nothing reads.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: settings.httpServer }),
    ],
  });
}
