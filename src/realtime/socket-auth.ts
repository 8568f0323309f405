// Handshake authentication with the REST tokens: `io(url, { auth: { token } })`, or the
// `auth` / `Authorization: Bearer` header for clients that can only set headers. A bad
// token fails the handshake with `connect_error` whose message is "unauthorized".
import { tokenExpiresAtMs, tokenFromHeaders, verifyToken, type Identity } from '../auth/token';
import type { ChatSocket } from './socket-server';

export function socketAuth(secret: string) {
  return (socket: ChatSocket, next: (err?: Error) => void) => {
    const fromAuth = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof fromAuth === 'string' ? fromAuth : tokenFromHeaders(socket.handshake.headers);
    const who = verifyToken(secret, token);
    if (!who) return next(new Error('unauthorized'));
    socket.data.user = who;
    socket.data.expiresAt = tokenExpiresAtMs(token!);
    next();
  };
}

/** The identity the handshake stored on the socket. */
export const identityOf = (socket: ChatSocket): Identity => socket.data.user;

/** True once the socket's token has expired (token-expiry.ts disconnects it then; an event may still slip in first). */
export const tokenExpired = (socket: ChatSocket): boolean => {
  const at = socket.data.expiresAt;
  return at !== undefined && Date.now() >= at;
};
