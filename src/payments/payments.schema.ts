// Answers of the payment endpoints (README.md, "Payments").
import { z } from 'zod';
import { answer, hexId } from '../http/answers';

/** Ping++'s charge object, handed as is to the Ping++ client SDK; null when the order needs no charge. */
const chargeSchema = z
  .object({ id: z.string(), object: z.literal('charge'), channel: z.string(), amount: z.number().int(), currency: z.string(), credential: z.record(z.unknown()).optional() })
  .passthrough()
  .describe("Ping++'s charge object, for the Ping++ client SDK");

export const payStartedSchema = answer({ pay_id: hexId, charge: chargeSchema.nullable() });
export const payResultSchema = answer({ paid: z.boolean().describe('whether the order is paid now') });
export const webhookHandledSchema = answer({ handled: z.boolean().describe('false for an event that changes nothing') });
