// The signed-in staff token (kept in sessionStorage: it goes with the tab) and the socket
// opened with it.
import { io, type Socket } from 'socket.io-client';

const KEY = 'staffToken';

export const savedToken = () => sessionStorage.getItem(KEY) ?? '';
export const saveToken = (t: string) => sessionStorage.setItem(KEY, t);
export const forgetToken = () => sessionStorage.removeItem(KEY);

export interface Claims {
  sub?: string;
  role?: string;
  exp?: number;
}

/** The token's claims as written (the server checks the signature; this only words a refusal early). */
export function claimsOf(token: string): Claims | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** Why the token cannot sign in, judged from its claims; '' when it may be tried. */
export function tokenProblem(token: string, now = Date.now()): string {
  if (!token) return '请粘贴客服令牌';
  const claims = claimsOf(token);
  if (!claims) return '令牌格式不正确，请粘贴完整的令牌';
  if (claims.role !== 'staff') return '该令牌不是客服令牌，不能登录客服工作台';
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= now) return '令牌已过期，请重新获取';
  return '';
}

export interface SessionEvents {
  /** the server ended the session: the token expired or was refused */
  expired(message: string): void;
  /** connected (again): views re-join their rooms and catch up */
  connected(): void;
  /** the connection dropped; Socket.IO reconnects by itself */
  disconnected(): void;
}

export function openSocket(token: string, events: SessionEvents): Socket {
  const socket = io({ auth: { token } });
  socket.on('connect', () => events.connected());
  socket.on('disconnect', () => events.disconnected());
  // The server announces a token's expiry, then disconnects the socket.
  socket.on('auth_expired', () => events.expired('令牌已过期，请重新登录'));
  socket.on('connect_error', (err) => {
    if (err.message === 'unauthorized') events.expired('登录已失效，请重新登录');
  });
  return socket;
}
