import Router from '@koa/router';
import { z } from 'zod';
import { LIMITS } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { notFound } from '../errors';
import { body, optionalText, text } from '../http/fields';
import { jsonBody } from '../http/body';
import { ok } from '../http/middleware';
import { parse, parseId } from '../http/validate';
import type { UsersRepo } from './users.repo';
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

export function usersRoutes(router: Router, users: UsersRepo) {
  router.put('/rest/user/profile', requireUser, jsonBody, async (ctx) => {
    const me = caller(ctx);
    const input = parse(profileSchema, ctx.request.body);
    const existing = await users.get(me.userID);
    await users.upsert({
      userID: me.userID,
      nick: input.nick,
      name: input.name ?? existing?.name ?? '',
      avatar: input.avatar ?? existing?.avatar ?? '',
      title: input.title ?? existing?.title ?? '',
      phone: input.phone ?? existing?.phone ?? '',
      updatedAt: new Date(),
    });
    ok(ctx);
  });

  router.get('/rest/user/:userID', async (ctx) => {
    const userID = parseId(ctx.params.userID, 'userID');
    const u = await users.get(userID);
    if (!u) throw notFound('userID: no such user');
    ok(ctx, { info: { userID: u.userID, nick: u.nick, name: u.name, avatar: u.avatar, title: u.title } satisfies UserInfo });
  });
}
