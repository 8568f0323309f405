// What the MongoDB repositories ask of their indexes. Every query they send is read off the
// wire (the driver's command monitoring) as a shape: the fields it matches by equality, the
// fields it sorts by, the fields it bounds by a range. An index serves a shape when a prefix
// of its keys holds the equality fields, then the sort fields in order (all in the index's
// direction or all against it), and the range fields come after them in the index: the
// equality-sort-range rule MongoDB's planner follows to scan a bounded part of one index and
// return its entries already sorted, with no collection scan and no in-memory sort.
import type { CommandStartedEvent, Document } from 'mongodb';

export interface QueryShape {
  collection: string;
  /** the command it came from (find, aggregate, findAndModify, update, delete, count, distinct) */
  command: string;
  equality: string[];
  sort: [string, 1 | -1][];
  range: string[];
  /** each field's condition as sent, to check an index's partial filter against */
  conditions: Record<string, unknown>;
}

export interface IndexInfo {
  name: string;
  key: Record<string, number>;
  partialFilterExpression?: Document;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte', '$ne', '$type', '$exists', '$nin']);

/** The shapes of one command's queries (none for inserts and commands without a filter). */
export function shapesOf(e: Pick<CommandStartedEvent, 'commandName' | 'command'>): QueryShape[] {
  const c = e.command;
  const shape = (collection: string, filter: Document | undefined, sort: Document | undefined) => toShape(collection, e.commandName, filter ?? {}, sort);
  switch (e.commandName) {
    case 'find':
      return [shape(c.find, c.filter, c.sort)];
    case 'findAndModify':
      return [shape(c.findAndModify, c.query, c.sort)];
    case 'count':
      return [shape(c.count, c.query, undefined)];
    case 'distinct':
      return [shape(c.distinct, c.query, undefined)];
    case 'update':
      return (c.updates as Document[]).map((u) => shape(c.update, u.q, undefined));
    case 'delete':
      return (c.deletes as Document[]).map((d) => shape(c.delete, d.q, undefined));
    case 'aggregate': {
      const stages = c.pipeline as Document[];
      const match = stages[0]?.$match as Document | undefined;
      const sort = stages.find((s) => s.$sort)?.$sort as Document | undefined;
      return typeof c.aggregate === 'string' ? [shape(c.aggregate, match, sort)] : [];
    }
    default:
      return [];
  }
}

function toShape(collection: string, command: string, filter: Document, sortDoc: Document | undefined): QueryShape {
  const equality: string[] = [];
  const range: string[] = [];
  const conditions: Record<string, unknown> = {};
  const add = (f: Document) => {
    for (const [field, cond] of Object.entries(f)) {
      if (field === '$and') for (const part of cond as Document[]) add(part);
      // $expr compares a document's own fields: it narrows what the index found, never bounds it.
      if (field.startsWith('$')) continue;
      conditions[field] = cond;
      const ops = isOperatorObject(cond) ? Object.keys(cond as Document) : [];
      // $in is a set of equality points: MongoDB merges their sorted runs without a sort stage.
      if (ops.length === 0 || ops.every((op) => op === '$eq' || op === '$in')) equality.push(field);
      else if (ops.some((op) => RANGE_OPERATORS.has(op))) range.push(field);
    }
  };
  add(filter);
  // The driver hands the sort on as a Map (key order matters); older callers as a document.
  const sortEntries = sortDoc instanceof Map ? [...sortDoc.entries()] : Object.entries(sortDoc ?? {});
  const sort = sortEntries
    .filter(([field]) => !equality.includes(field))
    .map(([field, dir]) => [field, Number(dir) < 0 ? -1 : 1] as [string, 1 | -1]);
  return { collection, command, equality, sort, range: range.filter((f) => !sort.some(([s]) => s === f)), conditions };
}

const isOperatorObject = (v: unknown) =>
  v !== null && typeof v === 'object' && !(v instanceof Date) && !Array.isArray(v) && Object.keys(v as object).some((k) => k.startsWith('$'));

/** Every collection's unique index on `_id`: a query naming one `_id` reads one entry of it. */
export const servedById = (q: QueryShape) => q.equality.includes('_id');

/** Whether `index` serves `q` (see the file's head). */
export function serves(index: IndexInfo, q: QueryShape): boolean {
  if (index.partialFilterExpression && !impliesPartialFilter(q, index.partialFilterExpression)) return false;
  const keys = Object.entries(index.key).map(([f, d]) => [f, Number(d) < 0 ? -1 : 1] as [string, 1 | -1]);
  const n = q.equality.length;
  const head = new Set(keys.slice(0, n).map(([f]) => f));
  if (head.size !== n || !q.equality.every((f) => head.has(f))) return false;
  const sortKeys = keys.slice(n, n + q.sort.length);
  if (sortKeys.length !== q.sort.length) return false;
  const flip = q.sort.length ? sortKeys[0][1] * q.sort[0][1] : 1;
  if (!q.sort.every(([f, d], i) => sortKeys[i][0] === f && sortKeys[i][1] * d === flip)) return false;
  const rest = keys.slice(n + q.sort.length).map(([f]) => f);
  if (!q.range.every((f) => rest.includes(f))) return false;
  // With nothing to match or sort on, the scan is bounded only when a range field leads.
  return n > 0 || q.sort.length > 0 || q.range.length === 0 || q.range.includes(keys[0][0]);
}

/** A partial index holds only some documents: the query's own conditions must select among those. */
function impliesPartialFilter(q: QueryShape, pfe: Document): boolean {
  return Object.entries(pfe).every(([field, want]) => {
    if (!(field in q.conditions)) return false;
    const got = q.conditions[field];
    if (JSON.stringify(got) === JSON.stringify(want)) return true;
    const w = want as Document;
    if (w?.$type === 'string') return typeof got === 'string';
    if (w?.$type === 'date') return got instanceof Date;
    if (typeof w?.$gt === 'number') return typeof (got as Document)?.$gt === 'number' && (got as Document).$gt >= w.$gt;
    return false;
  });
}

export const describeShape = (q: QueryShape) =>
  `${q.collection}.${q.command} eq[${q.equality.join(',')}] sort[${q.sort.map(([f, d]) => `${f}:${d}`).join(',')}] range[${q.range.join(',')}]`;
