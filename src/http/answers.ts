// Building blocks for the schemas of answers (what the server sends), so each answer's
// schema names its shape once: the views take their types from them, /openapi.json and
// /asyncapi.json are generated from them, and the tests check every answer against them.
// Objects are strict: a field a view adds without its schema is a mismatch, not a silent extra.
import { z } from 'zod';
import { Code, type FailureCode } from '../errors';
import { adminErrorId } from './errors';

/** A 24-hex id as the server writes it (lower case). */
export const hexId = z.string().regex(/^[0-9a-f]{24}$/).describe('24 hex characters');
/** A userID, or "0" for the system (a system message's sender, a message to both parties). */
export const userOrSystem = z.string().regex(/^(0|[0-9a-f]{24})$/).describe('a userID, or "0" for the system / both parties');
export const isoTime = z.string().datetime().describe('ISO 8601');
/** A time that may not have happened yet. */
export const isoTimeOrEmpty = z.union([z.string().datetime(), z.literal('')]).describe('ISO 8601, or "" until it happens');
export const count = z.number().int().min(0);

export const answer = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();

/** `/rest` success: HTTP 200 with `{code: 900, ...fields}`. */
export const restOk = <T extends z.ZodRawShape>(shape: T) => answer({ code: z.literal(Code.OK), ...shape });

/** `/v1/admin` success: `{data}`. */
export const adminOk = <T extends z.ZodTypeAny>(data: T) => answer({ data });

/** `/v1/admin` lists: `{data: {list, meta: {page, limit, total}}}`. */
export const adminList = <T extends z.ZodTypeAny>(item: T) =>
  adminOk(answer({ list: z.array(item), meta: answer({ page: z.number().int().min(1), limit: z.number().int().min(1), total: count }) }));

const failureCodes = Object.values(Code).filter((c): c is FailureCode => c !== Code.OK);
const literals = <T extends z.Primitive>(values: T[]) =>
  values.length === 1 ? z.literal(values[0]) : z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodLiteral<T>, z.ZodLiteral<T>]);

/** `/rest` failure: `{code, msg}`; `msg` starts with the field at fault (docs/errors.md). */
export const restError = (codes: FailureCode[] = failureCodes) => answer({ code: literals(codes), msg: z.string() });

/** `/v1/admin` failure: `{error: {code, message}}` with the snake_case id of the code (docs/errors.md). */
export const adminError = (codes: FailureCode[] = failureCodes) =>
  answer({ error: answer({ code: literals(codes.map((c) => adminErrorId[c])), message: z.string() }) });
