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

/** Creates the service's logger: JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: undefined,
  };
  return destination ? pino(options, destination) : pino(options);
}
