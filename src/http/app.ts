import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { DataSource } from 'typeorm';

import type { RequestContext } from '../graphql/context';
import { ErrorCode } from '../graphql/errors';
import type { Logger } from '../logger';

/** The largest request body the server reads; anything bigger is a 413. */
export const BODY_LIMIT = '100kb';

export interface HttpAppSettings {
  apollo: ApolloServer<RequestContext>;
  context: (args: { req: express.Request }) => Promise<RequestContext>;
  dataSource: DataSource;
  corsOrigins: string[];
  logger: Logger;
}

/** The HTTP app: GraphQL at `/graphql`, a health check, and JSON errors for the rest. */
export function createHttpApp(settings: HttpAppSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // One spelling per route: `/GRAPHQL` and `/graphql/` are not the API.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  app.get('/health', health(settings.dataSource));
  // `all`, not `use`: GraphQL is served at exactly `/graphql`, not at every path below it.
  const graphql = app.route('/graphql');
  if (settings.corsOrigins.length > 0) graphql.all(crossOrigin(settings.corsOrigins));
  graphql.all(
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(settings.apollo, { context: settings.context }),
  );
  app.use(notFound);
  app.use(errorHandler(settings.logger));
  return app;
}

// Tokens travel in a header, never in cookies, so no credentials mode is needed and a
// foreign page cannot borrow a visitor's identity; listed origins may simply read answers.
function crossOrigin(origins: string[]): RequestHandler {
  return cors({
    origin: origins.includes('*') ? '*' : origins,
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight'],
    exposedHeaders: ['www-authenticate'],
    methods: ['GET', 'POST'],
    maxAge: 600,
  });
}

// Answers 200 only when the database answers too, so that an orchestrator restarts or
// holds back an instance that cannot serve.
function health(dataSource: DataSource): RequestHandler {
  return async (_req, res) => {
    try {
      await dataSource.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  };
}

const notFound: RequestHandler = (req, res) => {
  res.status(404).json({
    errors: [
      { message: `Nothing is served at "${req.path}".`, extensions: { code: ErrorCode.NOT_FOUND } },
    ],
  });
};

// Express's own handler answers in HTML with a stack trace; every failure before Apollo
// (an oversized or malformed body, mostly) is answered here as a GraphQL-shaped JSON error.
function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };

    if (type === 'entity.too.large') {
      sendError(
        res,
        413,
        ErrorCode.PAYLOAD_TOO_LARGE,
        `The request body is larger than the ${BODY_LIMIT} limit.`,
      );
    } else if (type === 'entity.parse.failed') {
      sendError(res, 400, ErrorCode.BAD_REQUEST, 'The request body is not valid JSON.');
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      sendError(res, status, ErrorCode.BAD_REQUEST, 'The request could not be read.');
    } else {
      logger.error({ err: error }, 'An HTTP request failed with an unexpected error.');
      sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'An unexpected error occurred.');
    }
  };
}

function sendError(res: express.Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}
