// How the two HTTP envelopes answer a domain error (src/errors.ts): the HTTP status of each
// code, the admin API's snake_case ids (docs/errors.md), and the request errors whose
// HTTP status says more than their code.
import { AppError, Code, type ErrorCode } from '../errors';

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

/** Bad input found while reading the request itself, e.g. 413 for a body over 1 MB: still a 901. */
export class RequestInputError extends AppError {
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(Code.BAD_INPUT, message);
    this.name = 'RequestInputError';
  }
}

export const httpStatusFor = (e: AppError) => (e instanceof RequestInputError ? e.httpStatus : httpStatusOf[e.code]);
