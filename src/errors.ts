// The domain's errors: one type carrying a code of docs/errors.md. Services, repos and
// socket handlers throw these; each transport (src/http/errors.ts for the two HTTP
// envelopes, src/realtime/ack.ts for Socket.IO acks) turns them into its own shape.
export const Code = {
  OK: 900,
  BAD_INPUT: 901,
  UNAUTHORIZED: 902,
  FORBIDDEN: 903,
  NOT_FOUND: 904,
  BAD_STATUS: 905,
  DUPLICATE: 906,
  RATE_LIMITED: 907,
  PROVIDER: 908,
  INTERNAL: 999,
} as const;
export type ErrorCode = (typeof Code)[keyof typeof Code];
export type FailureCode = Exclude<ErrorCode, typeof Code.OK>;

export class AppError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (msg: string) => new AppError(Code.BAD_INPUT, msg);
export const unauthorized = (msg = 'auth: missing or invalid token') => new AppError(Code.UNAUTHORIZED, msg);
export const forbidden = (msg: string) => new AppError(Code.FORBIDDEN, msg);
export const notFound = (msg: string) => new AppError(Code.NOT_FOUND, msg);
export const badStatus = (msg: string) => new AppError(Code.BAD_STATUS, msg);
export const duplicate = (msg: string) => new AppError(Code.DUPLICATE, msg);
export const rateLimited = (msg: string) => new AppError(Code.RATE_LIMITED, msg);
export const providerFailed = (msg: string) => new AppError(Code.PROVIDER, msg);
export const internalError = () => new AppError(Code.INTERNAL, 'internal error');

export const noSuchOrder = () => notFound('o_id: no such order');

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
