import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import type { Logger } from '../logger';
import { ErrorCode } from './errors';

/**
 * Lets the errors raised on purpose (the service's own, and GraphQL's and Apollo's for
 * malformed requests) reach the client as they are. Anything else is a fault: it is logged
 * with its detail and the client sees only INTERNAL_SERVER_ERROR, in every environment,
 * since a driver's message can hold SQL or data.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof GraphQLError) return formatted;

    logger.error(
      { err: original, path: formatted.path },
      'A request failed with an unexpected error.',
    );
    return {
      message: 'An unexpected error occurred.',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
