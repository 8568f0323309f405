import type { Config } from '../config';
import type { Store } from '../db/store';
import { PingppClient } from './pingpp-client';
import type { PaymentProvider } from './provider';
import { SandboxPaymentProvider } from './sandbox-provider';

/** PAYMENT_PROVIDER picks the adapter; config.ts already required the pingpp variables. */
export function createPaymentProvider(config: Config, store: Store): PaymentProvider {
  if (config.PAYMENT_PROVIDER === 'pingpp') {
    return new PingppClient({
      apiKey: config.PINGPP_API_KEY!,
      appId: config.PINGPP_APP_ID!,
      baseUrl: config.PINGPP_API_BASE,
      privateKeyPem: config.PINGPP_PRIVATE_KEY,
    });
  }
  // The sandbox finds charges made by other nodes (or before a restart) in the store.
  return new SandboxPaymentProvider({ load: async (id) => (await store.payments.getByChargeId(id))?.charge ?? null });
}
