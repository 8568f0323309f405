// A socket lives no longer than its token: at the token's `exp` the server emits
// `auth_expired` ({reason: 'token_expired'}), so the client can tell this apart from other
// disconnects and reconnect with a fresh token, then disconnects it.
import { z } from 'zod';
import type { ChatSocket } from './socket-server';

export const authExpiredSchema = z.object({ reason: z.literal('token_expired') });
/** setTimeout's longest delay; a later expiry re-arms the timer when it fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Arms the socket's expiry; the timer is cleared when the socket disconnects first. */
export function disconnectAtExpiry(socket: ChatSocket) {
  const expiresAt = socket.data.expiresAt;
  if (expiresAt === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = expiresAt - Date.now();
    if (left > 0) {
      // unref: an armed expiry alone never keeps a process from exiting.
      timer = setTimeout(check, Math.min(left, MAX_DELAY_MS)).unref();
      return;
    }
    timer = undefined;
    socket.emit('auth_expired', { reason: 'token_expired' });
    socket.disconnect(true);
  };
  check();
  socket.once('disconnect', () => clearTimeout(timer));
}
