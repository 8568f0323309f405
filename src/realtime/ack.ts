// Socket.IO acknowledgements in the contract's codes: `{code: 900, ...}` on success,
// `{code, msg}` on failure. Unknown errors are logged with their stack and answer 999.
import { AppError, Code } from '../errors';
import type { Logger } from '../log/logger';

interface AckError {
  code: number;
  msg: string;
}

export function ackError(err: unknown, log: Logger): AckError {
  if (err instanceof AppError) return { code: err.code, msg: err.message };
  log.error({ err }, 'unexpected error in a socket handler');
  return { code: Code.INTERNAL, msg: 'internal error' };
}

export const ackOk = (body: Record<string, unknown> = {}) => ({ code: Code.OK, ...body });
