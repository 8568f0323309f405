// The HTTP edge: request id + access log, the two error envelopes (bodies: body.ts).
import { randomUUID } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import type { Logger } from '../log/logger';
import { AppError, Code, internalError } from '../errors';
import { adminErrorId, httpStatusFor, httpStatusOf, RequestInputError } from './errors';

/**
 * `ctx.state` of every request: its id, and `log`, a child logger carrying the id, made
 * only when something logs (most requests never do). The fields other middleware adds
 * (`user`) sit beside them.
 */
class RequestState {
  private child: Logger | undefined;
  [key: string]: unknown;
  constructor(
    private readonly base: Logger,
    readonly reqId: string,
  ) {}
  get log(): Logger {
    return (this.child ??= this.base.child({ reqId: this.reqId }));
  }
}

/** Gives each request an id (kept from `x-request-id` when a router sets one) and logs it once. */
export function requestLog(log: Logger): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('x-request-id');
    const reqId = header && header.length <= 128 ? header : randomUUID();
    ctx.state = new RequestState(log, reqId);
    ctx.set('x-request-id', reqId);
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // The same line the child would write (its bindings come first), without making one.
      if (log.isLevelEnabled('info')) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        log.info({ reqId, method: ctx.method, url: ctx.url, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
      }
    }
  };
}

/** Errors of a connection the client dropped or let time out: its fault, not the server's. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP_REQUEST_TIMEOUT']);

/**
 * Koa's 'error' event (a response that could not be finished, an error past the envelopes):
 * a line in the JSON log instead of Koa's stack trace on stderr; a vanished client is routine.
 */
export function logKoaError(log: Logger) {
  return (err: Error & { code?: string }) => {
    if (err.code && CLIENT_GONE.has(err.code)) log.debug({ code: err.code }, 'request: the client went away');
    else log.error({ err }, 'request failed outside the envelopes');
  };
}

/** Maps anything thrown to a contract code; unknown errors are logged with their stack and hidden. */
export function toAppError(err: unknown, log: Logger): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; code?: string; expose?: boolean; message?: string };
  // Node has answered 408 and closed the connection already; this answer only reaches the log.
  if (e?.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new RequestInputError('body: not received within HTTP_REQUEST_TIMEOUT_MS', 408);
  // Errors raised while reading a body (raw-body, inside co-body) and by Koa itself carry an HTTP status.
  if (e?.status === 413 || e?.type === 'entity.too.large') return new RequestInputError('body: larger than 1 MB', 413);
  if (e?.status && e.status >= 400 && e.status < 500 && e.expose) return new RequestInputError(`body: ${e.message}`, e.status);
  log.error({ err }, 'unexpected error');
  return internalError();
}

/** `/rest`: `{code: 900, ...}` on success; `{code, msg}` with the contract's HTTP status on failure. */
export function restEnvelope(): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { code: Code.NOT_FOUND, msg: `path: no such endpoint ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      const e = toAppError(err, ctx.state.log);
      ctx.status = httpStatusFor(e);
      ctx.body = { code: e.code, msg: e.message };
    }
  };
}

/** `/v1/admin`: `{data}` on success; `{error: {code: snake_case, message}}` on failure (docs/errors.md). */
export function adminEnvelope(): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `path: no such endpoint ${ctx.method} ${ctx.path}` } };
      }
    } catch (err) {
      const e = toAppError(err, ctx.state.log);
      // The admin API folds 905/906 into one 409 conflict: its envelope has no numeric codes.
      ctx.status = httpStatusFor(e);
      ctx.body = { error: { code: adminErrorId[e.code], message: e.message } };
    }
  };
}

export const ok = (ctx: Context, body: Record<string, unknown> = {}) => {
  ctx.status = httpStatusOf[900];
  ctx.body = { code: Code.OK, ...body };
};

