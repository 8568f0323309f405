// The built-in texts of the system messages (docs/system-messages.md), written for an expert
// consultation: the buyer is the user who asks, the seller is the expert. They are loaded
// into the store at start-up for every key that has no stored definition yet; a
// soft-deleted definition falls back to these texts.
import type { EventKey } from '../src/orders/order.events';

export interface SystemTexts {
  buyer: string;
  seller: string;
  admin: string;
}

export const SYSTEM_MESSAGES: Record<EventKey, SystemTexts> = {
  created: {
    buyer: '您已成功提交咨询，请等待专家确认。',
    seller: '您有一个新的咨询订单，请及时确认。',
    admin: '用户已提交咨询，等待专家确认。',
  },
  confirmed: {
    buyer: '专家已接受您的咨询，请尽快付款。',
    seller: '您已接受咨询，请等待用户付款。',
    admin: '专家已确认订单，等待用户付款。',
  },
  rejected: {
    buyer: '很抱歉，专家未能接受您的咨询，订单已关闭。',
    seller: '您已拒绝该咨询，订单已关闭。',
    admin: '专家已拒绝订单。',
  },
  paid: {
    buyer: '您已成功付款，专家将尽快与您通话。',
    seller: '用户已付款，请尽快与用户通话。',
    admin: '用户已付款，等待专家提供咨询。',
  },
  buyer_canceled: {
    buyer: '您已取消订单。',
    seller: '用户已取消订单。',
    admin: '用户取消了订单。',
  },
  seller_canceled: {
    buyer: '专家已取消订单，请不要再付款。',
    seller: '您已取消订单。',
    admin: '专家取消了订单。',
  },
  admin_canceled: {
    buyer: '客服已取消订单，如已付款，款项将原路退还。',
    seller: '客服已取消订单，请不要再提供咨询。',
    admin: '客服已取消订单，已付款的订单将原路退款。',
  },
  confirm_expired: {
    buyer: '专家未在规定时间内确认，订单已被系统取消。',
    seller: '您未在规定时间内确认，订单已被系统取消。',
    admin: '专家确认超时，订单已被系统取消。',
  },
  pay_expired: {
    buyer: '您的订单因为超时未付款已被系统取消，如有疑问，请联系客服。',
    seller: '用户付款超过时间限制，订单已被系统取消。',
    admin: '用户付款超时，订单已被系统取消。',
  },
  call_started: {
    buyer: '通话已开始，请保持电话畅通。',
    seller: '通话已开始，请耐心解答用户的问题。',
    admin: '双方通话已开始。',
  },
  call_finished: {
    buyer: '通话已结束。',
    seller: '通话已结束，如咨询已完成，请结束订单。',
    admin: '双方通话已结束。',
  },
  to_be_finished: {
    buyer: '专家已结束咨询，请对本次咨询进行评价。',
    seller: '您已结束咨询，请等待用户评价。',
    admin: '专家已结束咨询，等待用户评价。',
  },
  finished: {
    buyer: '订单已完成，感谢您的评价。',
    seller: '订单已完成，咨询费用将结算到您的钱包。',
    admin: '订单已完成，等待结算。',
  },
  settled: {
    buyer: '订单已结算完成。',
    seller: '咨询费用已结算到您的钱包。',
    admin: '咨询费用已结算给专家。',
  },
  buyer_appealed: {
    buyer: '您已成功提交申诉，请联系客服处理。',
    seller: '用户申诉，请配合客服沟通协调。',
    admin: '用户提交了申诉，请及时处理。',
  },
  seller_appealed: {
    buyer: '专家申诉，请配合客服沟通协调。',
    seller: '您已成功提交申诉，请联系客服处理。',
    admin: '专家提交了申诉，请及时处理。',
  },
  buyer_appeal_resolved: {
    buyer: '您的申诉已解决，请继续完成订单。',
    seller: '用户的申诉已解决，您可以继续完成订单。',
    admin: '用户的申诉已解决。',
  },
  seller_appeal_resolved: {
    buyer: '专家的申诉已解决，您可以继续完成订单。',
    seller: '您的申诉已解决，请继续完成订单。',
    admin: '专家的申诉已解决。',
  },
};
