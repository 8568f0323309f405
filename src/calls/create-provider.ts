import type { Config } from '../config';
import { CloopenClient } from './cloopen-client';
import type { CallProvider } from './provider';
import { SimulatedCallProvider } from './simulated-provider';

/** CALL_PROVIDER picks the adapter; config.ts already required the cloopen variables. */
export function createCallProvider(config: Config): CallProvider {
  if (config.CALL_PROVIDER === 'cloopen') {
    return new CloopenClient({
      accountSid: config.CLOOPEN_ACCOUNT_SID!,
      authToken: config.CLOOPEN_AUTH_TOKEN!,
      subAccountSid: config.CLOOPEN_SUBACCOUNT_SID!,
      subAccountToken: config.CLOOPEN_SUBACCOUNT_TOKEN!,
      appId: config.CLOOPEN_APP_ID!,
      baseUrl: config.CLOOPEN_API_BASE,
    });
  }
  return new SimulatedCallProvider({ simMs: config.CALL_SIM_MS });
}

/** Where Cloopen posts hang-up records: needs PUBLIC_URL and CALL_WEBHOOK_TOKEN. */
export function hangupCdrUrl(config: Config): string | undefined {
  if (!config.PUBLIC_URL || !config.CALL_WEBHOOK_TOKEN) return undefined;
  const url = new URL('/rest/webhooks/call', config.PUBLIC_URL);
  url.searchParams.set('token', config.CALL_WEBHOOK_TOKEN);
  return url.toString();
}
