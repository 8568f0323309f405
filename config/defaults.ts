// Defaults that are data, not code.
import type { OrderStatus } from '../src/orders/order.types';

export const PAGE = { defaultLimit: 10, maxLimit: 100 } as const;

/** The banner shown on an in-progress order in the order lists (README.md, `GET /rest/orders`). */
export const ORDER_BANNERS: Partial<Record<OrderStatus, string>> = {
  pending: '等待专家确认',
  confirmed: '专家已确认，请尽快支付',
  paid: '咨询进行中',
  toBeFinished: '专家已结束咨询，请评价',
};

export const LIMITS = {
  /** largest JSON body accepted */
  bodyBytes: 1024 * 1024,
  questionChars: 2000,
  selfDescChars: 2000,
  reasonChars: 500,
  commentChars: 1000,
  titleChars: 100,
  nickChars: 64,
} as const;
