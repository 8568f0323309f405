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

interface SandboxOptions {
  appId?: string;
  /** unix seconds; injectable for tests */
  now?: () => number;
  /**
   * Where to find a charge this process did not create (another web node, or before a
   * restart): the app passes its stored copy, so a sandbox refund or confirmation works on
   * any node.
   */
  load?: (chargeId: string) => Promise<Charge | null>;
}

export class SandboxPaymentProvider implements PaymentProvider {
  readonly name = 'sandbox' as const;
  private readonly charges = new Map<string, Charge>();
  private readonly appId: string;
  private readonly now: () => number;
  private readonly load?: (chargeId: string) => Promise<Charge | null>;

  constructor(opts: SandboxOptions = {}) {
    this.appId = opts.appId ?? 'app_sandbox';
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.load = opts.load;
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
    return structuredClone(await this.get(chargeId));
  }

  async refund(chargeId: string, input: RefundInput): Promise<Refund> {
    const result = refundCharge(await this.get(chargeId), input, this.now());
    if (!result.ok) {
      const e = result.error;
      throw new ProviderError(e.message, this.name, result.status, e.code ?? e.type, e.param);
    }
    return structuredClone(result.refund);
  }

  async confirmFromClient(chargeId: string): Promise<Charge> {
    return structuredClone(markChargePaid(await this.get(chargeId), this.now()));
  }

  // Copies go out so callers cannot change the "provider's" records behind its back.
  private async get(chargeId: string): Promise<Charge> {
    let charge = this.charges.get(chargeId);
    if (!charge && this.load) {
      const stored = await this.load(chargeId);
      // Another call may have adopted it while we awaited; keep the first copy.
      charge = this.charges.get(chargeId);
      if (!charge && stored) {
        charge = structuredClone(stored);
        this.charges.set(chargeId, charge);
      }
    }
    if (!charge) throw new ProviderError(`No such charge: ${chargeId}`, this.name, 404, 'invalid_request_error', 'id');
    return charge;
  }
}
