// The payment port: what the order service needs from a payment provider.
// Two adapters implement it: SandboxPaymentProvider (in memory, for development
// and tests) and PingppClient (the real Ping++ HTTP API).
import type { Charge, Refund } from './charge.js';

export type { Charge, Refund } from './charge.js';

export type PayChannel = 'alipay' | 'wx';

export interface CreateChargeInput {
  orderNo: string;
  /** fen, integer > 0 */
  amount: number;
  channel: PayChannel;
  currency: 'cny';
  clientIp: string;
  /** ≤ 32 characters (Ping++ limit) */
  subject: string;
  /** ≤ 128 characters (Ping++ limit) */
  body: string;
  metadata?: Record<string, string>;
  /** unix seconds */
  timeExpire?: number;
  description?: string;
}

export interface RefundInput {
  /** required by Ping++, ≤ 255 characters */
  description: string;
  /** fen; omitted = refund what is left */
  amount?: number;
}

export interface PaymentProvider {
  readonly name: 'sandbox' | 'pingpp';
  createCharge(input: CreateChargeInput): Promise<Charge>;
  retrieveCharge(chargeId: string): Promise<Charge>;
  refund(chargeId: string, input: RefundInput): Promise<Refund>;
  /**
   * sandbox only: the client's "success" report is taken as the provider's
   * confirmation and marks the charge paid. Undefined for pingpp, where only
   * the provider (retrieve or webhook) can say a charge is paid.
   */
  confirmFromClient?(chargeId: string): Promise<Charge>;
}

/**
 * Anything a provider refused or could not answer. `status` is the provider's
 * HTTP status (undefined for network errors and timeouts); `providerCode` is the
 * provider's error code (Ping++ `error.code`, else `error.type`) or one of ours:
 * `network`, `timeout`, `bad_response`.
 */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly provider: string,
    readonly status?: number,
    readonly providerCode?: string,
    /** the request field the provider blamed (Ping++ `error.param`) */
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
