import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { body, optionalText, text } from '../http/fields';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import type { UsersService } from './users.service';
import type { UserInfo } from './users.schema';

export const profileSchema = body({
  nick: text(LIMITS.nickChars),
  name: optionalText(LIMITS.nickChars),
  avatar: optionalText(1024),
  title: optionalText(LIMITS.titleChars),
  phone: z
    .string({ invalid_type_error: 'must be a string' })
    .regex(/^\+?[0-9]{5,20}$/, 'must be a phone number of 5-20 digits')
    .optional(),
});

export function usersRoutes(router: Router, users: UsersService) {
  router.put('/rest/user/profile', requireUser, jsonBody, async (ctx) => {
    await users.saveProfile(caller(ctx), parse(profileSchema, ctx.request.body));
    ok(ctx);
  });

  router.get('/rest/user/:userID', async (ctx) => {
    const u = await users.mustGet(parseId(ctx.params.userID, 'userID'));
    ok(ctx, { info: { userID: u.userID, nick: u.nick, name: u.name, avatar: u.avatar, title: u.title } satisfies UserInfo });
  });
}
