// A simulated Ping++ for development and tests: charges live in memory, have
// the real shapes, and are paid when the client reports success (there is no
// channel to confirm it). Input is checked with the same rules as the real API
// so code that works here is not refused in production.
import {
  buildCharge,
  chargeRequestBody,
  markChargePaid,
  refundCharge,
  validateChargeRequest,
  type Charge,
  type Refund,
} from './charge.js';
import { ProviderError, type CreateChargeInput, type PaymentProvider, type RefundInput } from './provider.js';

export interface SandboxOptions {
  appId?: string;
  /** unix seconds; injectable for tests */
  now?: () => number;
}

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly charges = new Map<string, Charge>();
  private readonly appId: string;
  private readonly now: () => number;

  constructor(opts: SandboxOptions = {}) {
    this.appId = opts.appId ?? 'app_sandbox';
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
  }

  async createCharge(input: CreateChargeInput): Promise<Charge> {
    const params = chargeRequestBody(input, this.appId);
    const err = validateChargeRequest(params, this.appId);
    if (err) throw new ProviderError(err.message, this.name, 400, err.code ?? err.type, err.param);
    const charge = buildCharge(params, { livemode: false, created: this.now() });
    this.charges.set(charge.id, charge);
    return structuredClone(charge);
  }

  async retrieveCharge(chargeId: string): Promise<Charge> {
    return structuredClone(this.get(chargeId));
  }

  async refund(chargeId: string, input: RefundInput): Promise<Refund> {
    const result = refundCharge(this.get(chargeId), input, this.now());
    if (!result.ok) {
      const e = result.error;
      throw new ProviderError(e.message, this.name, result.status, e.code ?? e.type, e.param);
    }
    return structuredClone(result.refund);
  }

  async confirmFromClient(chargeId: string): Promise<Charge> {
    return structuredClone(markChargePaid(this.get(chargeId), this.now()));
  }

  // Copies go out so callers cannot change the "provider's" records behind its back.
  private get(chargeId: string): Charge {
    const charge = this.charges.get(chargeId);
    if (!charge) throw new ProviderError(`No such charge: ${chargeId}`, this.name, 404, 'invalid_request_error', 'id');
    return charge;
  }
}
