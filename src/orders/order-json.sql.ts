// order.view's listItem and orderDetail, written in SQL: the embedded store answers an order
// list's page and an order's detail as JSON text built by SQLite: cheaper than reading the
// joined rows as JavaScript values, making listItem's objects and JSON.stringify-ing them.
// The same holds for the 22 fields of an order read out of 30 columns. test/orders/order-json.test.ts keeps the
// two equal, byte for byte.
import { ORDER_BANNERS } from '../../config/defaults';
import type { ListViewer } from './order.view';

/** A text literal: the banners are our own constants, but quoted properly all the same. */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

const BANNER = `CASE status ${Object.entries(ORDER_BANNERS)
  .map(([status, text]) => `WHEN ${literal(status)} THEN ${literal(text!)}`)
  .join(' ')} ELSE '' END`;

/**
 * Date.prototype.toISOString of epoch milliseconds (years 0–9999). %f is seconds with three
 * decimals. Checked against JavaScript for 200,000 random instants, and every millisecond of
 * two seconds by test/orders/order-json.test.ts. One strftime, not strftime || printf, which
 * costs noticeably more a page.
 */
const iso = (column: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column} / 1000.0, 'unixepoch')`;
/** iso() of a time that may be unset: '' then, as order.view writes it. */
const isoOrEmpty = (column: string) => `coalesce(${iso(column)}, '')`;
/** A 0/1 column as a JSON boolean. */
const bool = (column: string) => `json(CASE WHEN ${column} THEN 'true' ELSE 'false' END)`;

const TOPIC = `json_object('topic_id', topic_id, 'title', coalesce(t_title, ''), 'category', coalesce(t_category, ''),
  'finish_count', CAST(coalesce(t_finish_count, 0) AS TEXT))`;

const PARTY: Record<ListViewer, string> = {
  buyer: `'expert', json_object('userID', expert_id, 'nick', coalesce(p_nick, ''), 'name', coalesce(p_name, ''),
    'avatar', coalesce(p_avatar, ''), 'title', coalesce(p_title, ''))`,
  expert: `'user', json_object('userID', userID, 'nick', coalesce(p_nick, ''), 'avatar', coalesce(p_avatar, ''))`,
};

/**
 * The JSON array of listItem objects for the rows `page` selects (orders.sqlite's LIST_SQL:
 * its columns by name), in the page's order. As a BLOB: UTF-8 bytes (json-bytes.ts).
 */
export const LIST_JSON_SQL = (page: string, viewer: ListViewer) =>
  `SELECT CAST(json_group_array(json_object('o_id', o_id, 'userID', userID, 'status', status, 'rating', rating,
      'createdAt', ${iso('createdAt')}, 'topic', ${TOPIC}, ${PARTY[viewer]}, 'banner', ${BANNER})
    ORDER BY createdAt DESC, o_id DESC) AS BLOB)
  FROM (${page})`;

/**
 * orderDetail's object for the order `o_id`, with the parties beside it for the access check:
 * [userID, expert_id, json as UTF-8 bytes], or no row.
 */
export const DETAIL_JSON_SQL = `SELECT userID, expert_id, CAST(json_object('o_id', o_id, 'status', status,
    'updatedAt', ${isoOrEmpty('updatedAt')}, 'confirmAt', ${isoOrEmpty('confirmAt')}, 'rejectAt', ${isoOrEmpty('rejectAt')},
    'payAt', ${isoOrEmpty('payAt')}, 'finishAt', ${isoOrEmpty('finishAt')}, 'completeAt', ${isoOrEmpty('completeAt')},
    'cancelAt', ${isoOrEmpty('cancelAt')}, 'commentAt', ${isoOrEmpty('commentAt')}, 'called', ${bool('called')},
    'appealed', ${bool('appeal IS NOT NULL')}, 'userID', userID, 'expert_id', expert_id, 'topic_id', topic_id,
    'question', question, 'self_desc', self_desc, 'price', price, 'comment', comment, 'rating', rating,
    'createdAt', ${isoOrEmpty('createdAt')}, 'reason', reason) AS BLOB)
  FROM orders WHERE o_id = ?`;
