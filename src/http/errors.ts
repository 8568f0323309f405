// One error type carrying a code of docs/errors.md; the REST envelope, the admin envelope and
// Socket.IO acks each turn it into their own shape in one place.
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

export const httpStatusOf: Record<ErrorCode, number> = {
  900: 200,
  901: 400,
  902: 401,
  903: 403,
  904: 404,
  905: 409,
  906: 409,
  907: 429,
  908: 502,
  999: 500,
};

/** The admin API speaks snake_case error ids instead of numbers (docs/errors.md). */
export const adminErrorId: Record<ErrorCode, string> = {
  900: 'ok',
  901: 'invalid_input',
  902: 'unauthorized',
  903: 'forbidden',
  904: 'not_found',
  905: 'invalid_status',
  906: 'duplicate',
  907: 'rate_limited',
  908: 'provider_failed',
  999: 'internal_error',
};

export class AppError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 900>,
    message: string,
    /** HTTP status override, e.g. 413 for an oversized body that is still a 901. */
    readonly httpStatus: number = httpStatusOf[code],
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

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
