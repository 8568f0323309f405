// The answer of `GET /rest/wallet` (README.md, "Wallet").
import { z } from 'zod';
import { answer, hexId, isoTime } from '../http/answers';

export const walletSummarySchema = answer({
  balance: z.number().int().describe('fen'),
  currency: z.literal('cny'),
  list: z.array(
    answer({
      id: hexId,
      o_id: z.union([hexId, z.literal('')]).describe('the order the entry comes from; "" for an adjustment'),
      amount: z.number().int().describe('fen; negative for a refund or a debit'),
      kind: z.enum(['settle', 'refund', 'adjust']),
      createdAt: isoTime,
    }),
  ),
});
export type WalletSummary = z.infer<typeof walletSummarySchema>;
