// Structured JSON logs (pino): one line per event, machine-readable on Heroku's log drains.
// Logs leave the process (log drains, support tickets), so no line carries a request body,
// a token, a phone number or a secret: the code never logs them, and pino's redact is the
// net under it for the fields where one could slip in (an error's attached body, a URL).
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Query parameters that carry a credential (the call webhook's shared `?token=`). */
const SECRET_QUERY = /([?&](?:token|auth|access_token)=)[^&#]*/gi;

/** A URL with its credential query parameters' values replaced. */
function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[Redacted]');
}

const REDACTED_PATHS = [
  // the access log's URL: only its credential parameters go
  'url',
  // co-body and http-errors attach the raw body to parse errors
  'err.body',
  'err.rawBody',
  'body',
  'rawBody',
  'headers.auth',
  'headers.authorization',
  'headers["x-webhook-token"]',
  'token',
  'phone',
  '*.body',
  '*.token',
  '*.phone',
];

export function createLogger(level: string, name = 'web', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { proc: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: REDACTED_PATHS,
      censor: (value, path) => (path[path.length - 1] === 'url' && typeof value === 'string' ? redactUrl(value) : '[Redacted]'),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
