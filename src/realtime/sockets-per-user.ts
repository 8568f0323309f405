// At most `max` sockets per user on this node: the handshake of one more fails with
// `connect_error` "too_many_connections" (the sockets already open are left alone). Counted
// per node, so behind N web nodes a user may hold up to N × max.
import type { Socket } from 'socket.io';
import { identityOf } from './socket-auth';

const TOO_MANY_CONNECTIONS = 'too_many_connections';

/** Socket.IO middleware; runs after socketAuth. */
export function socketsPerUser(max: number) {
  const open = new Map<string, Set<string>>();
  return (socket: Socket, next: (err?: Error) => void) => {
    const { userID } = identityOf(socket);
    let ids = open.get(userID);
    if (ids && ids.size >= max) return next(new Error(TOO_MANY_CONNECTIONS));
    if (!ids) open.set(userID, (ids = new Set()));
    const mine = ids;
    mine.add(socket.id);
    // A handshake whose connection closes before the socket connects never sees `disconnect`.
    const release = () => {
      mine.delete(socket.id);
      if (mine.size === 0 && open.get(userID) === mine) open.delete(userID);
    };
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  };
}
