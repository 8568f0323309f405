import type { Middleware } from 'koa';
import { forbidden, unauthorized } from '../errors';
import { tokenFromHeaders, verifyToken, type Identity } from './token';

export interface AuthState {
  user?: Identity;
}

/** Reads the token when present; a present but bad token is refused even on optional routes. */
export function authenticate(secret: string): Middleware<AuthState> {
  return async (ctx, next) => {
    const token = tokenFromHeaders(ctx.headers);
    if (token !== undefined) {
      const id = verifyToken(secret, token);
      if (!id) throw unauthorized('auth: invalid or expired token');
      ctx.state.user = id;
    }
    await next();
  };
}

export const requireUser: Middleware<AuthState> = async (ctx, next) => {
  if (!ctx.state.user) throw unauthorized('auth: token required');
  await next();
};

export const requireStaff: Middleware<AuthState> = async (ctx, next) => {
  if (!ctx.state.user) throw unauthorized('auth: token required');
  if (!ctx.state.user.staff) throw forbidden('auth: staff only');
  await next();
};

/** The caller of a route behind requireUser. */
export function caller(ctx: { state: AuthState }): Identity {
  const u = ctx.state.user;
  if (!u) throw unauthorized('auth: token required');
  return u;
}
