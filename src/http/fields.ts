// Zod building blocks for request fields, so each schema names its limits once.
import { z } from 'zod';

/** A string field (never an object or number) of 1..max characters, trimmed. */
export const text = (max: number) =>
  z.string({ invalid_type_error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** An optional string that may be empty. */
export const optionalText = (max: number) =>
  z.string({ invalid_type_error: 'must be a string' }).max(max, `must be at most ${max} characters`).optional();

/** A JSON body: an object (arrays and scalars refused). */
export const body = <T extends z.ZodRawShape>(shape: T) =>
  z.object(shape, { invalid_type_error: 'must be a JSON object', required_error: 'must be a JSON object' });
