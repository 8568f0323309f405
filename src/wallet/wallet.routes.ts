import Router from '@koa/router';
import { PAGE } from '../../config/defaults';
import { caller, requireUser } from '../auth/middleware';
import { ok } from '../http/middleware';
import { parsePage } from '../http/pagination';
import type { WalletService } from './wallet.service';

export function walletRoutes(router: Router, wallet: WalletService) {
  router.get('/rest/wallet', requireUser, async (ctx) => {
    const page = parsePage(ctx.query, { limit: PAGE.defaultLimit, max: PAGE.maxLimit });
    ok(ctx, { info: await wallet.summary(caller(ctx).userID, page.skip, page.limit) });
  });
}
