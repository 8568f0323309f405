// Response shapes of the order endpoints (README.md, "Orders"): field names and shapes are binding,
// and each view's type comes from its schema in orders.schema.ts.
import { ORDER_BANNERS } from '../../config/defaults';
import type { TopicBrief } from '../topics/topic.types';
import type { ProfileBrief } from '../users/user.types';
import type { Order, OrderListRow } from './order.types';
import type { BuyerListItem, CommentItem, ExpertBrief, ExpertListItem, OrderDetail, OrderTimes, TopicBriefView, UserBrief } from './orders.schema';

const iso = (d: Date | null) => (d ? d.toISOString() : '');

/** The status and its time fields, as pushed with every `order` event. */
export function orderTimes(o: Order): OrderTimes {
  return {
    o_id: o.o_id,
    status: o.status,
    updatedAt: iso(o.updatedAt),
    confirmAt: iso(o.confirmAt),
    rejectAt: iso(o.rejectAt),
    payAt: iso(o.payAt),
    finishAt: iso(o.finishAt),
    completeAt: iso(o.completeAt),
    cancelAt: iso(o.cancelAt),
    commentAt: iso(o.commentAt),
    called: o.called,
    appealed: !!o.appeal,
  };
}

/**
 * The order detail (`GET /rest/order/:o_id`): the pushed fields plus who, what and the
 * comment. Object.assign, not a spread: a spread of twelve keys plus ten more makes V8 build
 * a slow object (BENCHMARKS.md).
 */
export function orderDetail(o: Order): OrderDetail {
  return Object.assign(orderTimes(o), {
    userID: o.userID,
    expert_id: o.expert_id,
    topic_id: o.topic_id,
    question: o.question,
    self_desc: o.self_desc,
    price: o.price,
    comment: o.comment,
    rating: o.rating,
    createdAt: iso(o.createdAt),
    reason: o.reason,
  });
}

export function topicBrief(t: TopicBrief | null | undefined, topic_id: string): TopicBriefView {
  return {
    topic_id,
    title: t?.title ?? '',
    category: t?.category ?? '',
    // The order lists show the count as a string, as the apps expect.
    finish_count: String(t?.finish_count ?? 0),
  };
}

function userBrief(u: ProfileBrief | null | undefined, userID: string): UserBrief {
  return { userID, nick: u?.nick ?? '', avatar: u?.avatar ?? '' };
}

export function expertBrief(u: ProfileBrief | null | undefined, userID: string): ExpertBrief {
  return { userID, nick: u?.nick ?? '', name: u?.name ?? '', avatar: u?.avatar ?? '', title: u?.title ?? '' };
}

/**
 * A row of the buyer's list (with the expert embedded as `expert`) or of the expert's list
 * (with the buyer embedded as `user`).
 */
/** Whose list: the buyer's embeds the expert, the expert's embeds the buyer. */
type ListViewer = 'buyer' | 'expert';

export function listItem(o: OrderListRow, viewer: ListViewer): BuyerListItem | ExpertListItem {
  const topic = topicBrief(o.topic, o.topic_id);
  const banner = ORDER_BANNERS[o.status] ?? '';
  // Two literals rather than a spread of the embedded party: same keys, same order, one shape each.
  if (viewer === 'buyer') {
    return { o_id: o.o_id, userID: o.userID, status: o.status, rating: o.rating, createdAt: iso(o.createdAt), topic, expert: expertBrief(o.party, o.expert_id), banner } satisfies BuyerListItem;
  }
  return { o_id: o.o_id, userID: o.userID, status: o.status, rating: o.rating, createdAt: iso(o.createdAt), topic, user: userBrief(o.party, o.userID), banner } satisfies ExpertListItem;
}

export function commentItem(o: Order, users: Map<string, ProfileBrief>, topics?: Map<string, TopicBrief>) {
  const item: CommentItem = {
    o_id: o.o_id,
    comment: o.comment,
    rating: o.rating,
    type: o.type,
    commentAt: iso(o.commentAt),
    userID: o.userID,
    user: userBrief(users.get(o.userID), o.userID),
  };
  if (topics) {
    item.topic_id = o.topic_id;
    item.topic = { topic_id: o.topic_id, title: topics.get(o.topic_id)?.title ?? '' };
  }
  return item;
}
