// Answers of the user endpoints (README.md, "Users"): a profile as others see it, never the phone.
import { z } from 'zod';
import { answer, hexId } from '../http/answers';

export const userInfoSchema = answer({ userID: hexId, nick: z.string(), name: z.string(), avatar: z.string(), title: z.string() });
export type UserInfo = z.infer<typeof userInfoSchema>;
