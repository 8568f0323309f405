// The rule the index test applies (mongo-query-shapes.ts), on hand-made commands.
import test from 'ava';
import { serves, shapesOf, type IndexInfo } from './mongo-query-shapes';

const find = (filter: object, sort?: Map<string, number>) => shapesOf({ commandName: 'find', command: { find: 'orders', filter, sort } })[0];
const index = (key: Record<string, number>, partialFilterExpression?: object): IndexInfo => ({ name: 'i', key, partialFilterExpression });
const newestFirst = new Map([
  ['createdAt', -1],
  ['_id', -1],
]);

test('equality fields lead, then the sort in order (either direction), then ranges', (t) => {
  const list = find({ userID: 'u', status: { $in: ['paid', 'finished'] } }, newestFirst);
  t.deepEqual([list.equality, list.sort, list.range], [['userID', 'status'], [['createdAt', -1], ['_id', -1]], []]);
  t.true(serves(index({ status: 1, userID: 1, createdAt: -1, _id: -1 }), list));
  t.true(serves(index({ userID: 1, status: 1, createdAt: 1, _id: 1 }), list), 'scanned backwards');
  t.false(serves(index({ userID: 1, status: 1, createdAt: -1 }), list), 'no _id: ties sorted in memory');
  t.false(serves(index({ userID: 1, status: 1, createdAt: -1, _id: 1 }), list), 'mixed directions');
  t.false(serves(index({ userID: 1, createdAt: -1, _id: -1, status: 1 }), list), 'an equality field after the sort');
  const due = find({ status: 'paid', statusAt: { $lt: new Date() }, appealed: false }, new Map([['statusAt', 1]]));
  t.true(serves(index({ status: 1, appealed: 1, statusAt: 1 }), due));
  t.false(serves(index({ status: 1, statusAt: 1 }), due));
  const sweep = find({ status: { $in: ['created'] }, updatedAt: { $lt: new Date() } }, new Map([['_id', 1]]));
  t.true(serves(index({ status: 1, _id: 1, updatedAt: 1 }), sweep));
  t.false(serves(index({ status: 1, _id: 1 }), sweep), 'the range field is not in the index');
  t.false(serves(index({ createdAt: -1, status: 1 }), find({ status: { $ne: 'paid' } })), 'an unbounded scan of another field');
});

test('a partial index serves only queries that select within its filter', (t) => {
  const unread = index({ userID: 1, o_id: -1, unread: 1 }, { unread: { $gt: 0 } });
  t.true(serves(unread, find({ userID: 'u', unread: { $gt: 0 } }, new Map([['o_id', -1]]))));
  t.false(serves(unread, find({ userID: 'u' }, new Map([['o_id', -1]]))));
  const byClient = index({ o_id: 1, from: 1, client_id: 1 }, { client_id: { $type: 'string' } });
  t.true(serves(byClient, find({ o_id: 'o', from: 'u', client_id: 'c-1' })));
  t.false(serves(byClient, find({ o_id: 'o', from: 'u', client_id: null })));
});
