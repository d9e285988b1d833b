import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

// Secrets never reach a log line, whatever the level or environment: redaction is done by
// the logger itself, so a careless call site cannot leak a password, token or hash.
const REDACTED_PATHS = [
  'password',
  'token',
  'passwordHash',
  'secret',
  'authorization',
  '*.password',
  '*.token',
  '*.passwordHash',
  '*.secret',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'variables.input.password',
  '*.variables.input.password',
];

// The properties of an error that are safe to log. Database errors also carry the values
// bound to the failed statement (a password hash, for one) and the statement with those
// values written in; those are left out. A driver's message may still quote the offending
// value, such as the email of a duplicate entry: personal data, but never a secret.
const SAFE_ERROR_FIELDS = ['code', 'errno', 'query'] as const;

/** Creates the service's logger: JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError },
    base: undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}

function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };

  const serialized: Record<string, unknown> = {
    type: error.constructor.name,
    message: error.message,
    stack: error.stack,
  };
  for (const field of SAFE_ERROR_FIELDS) {
    const value: unknown = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string' || typeof value === 'number') serialized[field] = value;
  }
  if (error.cause !== undefined) serialized.cause = serializeError(error.cause);
  return serialized;
}
