// The words staff read, in Chinese as the apps' users read them.
export const STATUS_LABELS: Record<string, string> = {
  pending: '待专家确认',
  confirmed: '待支付',
  rejected: '已拒绝',
  paid: '已支付',
  toBeFinished: '待评价',
  finished: '已完成',
  canceled: '已取消',
};

export const PAYMENT_LABELS: Record<string, string> = {
  pending: '待支付',
  paid: '已支付',
  canceled: '已放弃',
  refunding: '退款中',
  refunded: '已退款',
  refund_failed: '退款失败（系统将自动重试）',
};

export const CALL_LABELS: Record<string, string> = {
  starting: '发起中',
  calling: '通话中',
  finished: '已结束',
  no_answer: '无人接听',
  busy: '忙线',
  failed: '失败',
};

/** Each time field of an order, in the order an order lives them. */
export const TIME_FIELDS: [string, string][] = [
  ['createdAt', '下单'],
  ['confirmAt', '专家确认'],
  ['rejectAt', '专家拒绝'],
  ['payAt', '支付'],
  ['finishAt', '服务完成'],
  ['commentAt', '评价'],
  ['completeAt', '订单完成'],
  ['cancelAt', '取消'],
  ['updatedAt', '最近更新'],
];

export const ROLE_LABELS = { buyer: '买家', seller: '专家', admin: '客服' } as const;

export const label = (table: Record<string, string>, key: string) => table[key] ?? key;
