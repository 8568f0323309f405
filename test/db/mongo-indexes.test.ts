// Every query the MongoDB repositories send is served by an index (see mongo-query-shapes.ts
// for the rule). The queries are not listed by hand: the repository contract runs once more
// on stores whose client records each command it sends, so a new query in the code is
// checked as soon as the contract exercises it. On MongoDB at TEST_MONGODB_URI explain()
// must also show each find without a collection scan or an in-memory sort; the stand-in
// (mongomock over the wire, not mongod) has no query planner, so there the check rests on
// listIndexes alone.
import test, { type ExecutionContext } from 'ava';
import type { CommandStartedEvent, Document } from 'mongodb';
import { connectMongo } from '../../src/db/mongo';
import { createMongoStore } from '../../src/db/mongo-store';
import { newId } from '../../src/ids';
import { mongoTarget, type MongoTarget } from '../mongo-standin/standin';
import { describeShape, servedById, serves, shapesOf, type IndexInfo, type QueryShape } from './mongo-query-shapes';
import { SECTIONS, type It } from './store-contract';

const on = process.env.TEST_MONGODB_URI ? 'mongod at TEST_MONGODB_URI' : 'mongomock over the wire, not mongod';
let target: MongoTarget | undefined;
test.after.always(async () => {
  await target?.stop();
});

async function dropDatabase(uri: string, dbName: string) {
  const { client, db } = await connectMongo(uri, dbName);
  await db.dropDatabase();
  await client.close();
}

/** The contract's tests, one after another, each on a fresh monitored store: every command they sent. */
async function tour(t: ExecutionContext, uri: string): Promise<CommandStartedEvent[]> {
  const seen: CommandStartedEvent[] = [];
  const tests: Parameters<It>[1][] = [];
  for (const section of Object.values(SECTIONS)) section((_title, fn) => tests.push(fn));
  for (const fn of tests) {
    const dbName = `indexes_${newId()}`;
    const store = await createMongoStore(uri, dbName, (client) => client.on('commandStarted', (e) => seen.push(e)));
    try {
      await fn(t, store);
    } finally {
      await store.close();
      await dropDatabase(uri, dbName);
    }
  }
  return seen;
}

/** The indexes the store creates at start-up, per collection. */
async function indexesByCollection(uri: string): Promise<Map<string, IndexInfo[]>> {
  const dbName = `indexes_${newId()}`;
  const store = await createMongoStore(uri, dbName);
  await store.close();
  const { client, db } = await connectMongo(uri, dbName);
  try {
    const out = new Map<string, IndexInfo[]>();
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      out.set(name, (await db.collection(name).listIndexes().toArray()) as IndexInfo[]);
    }
    return out;
  } finally {
    await db.dropDatabase();
    await client.close();
  }
}

test(`every query the MongoDB repositories send is served by an index (on ${on})`, async (t) => {
  target = await mongoTarget();
  const commands = await tour(t, target.uri);
  const indexes = await indexesByCollection(target.uri);
  const shapes = new Map<string, QueryShape>();
  for (const e of commands) for (const q of shapesOf(e)) shapes.set(describeShape(q), q);
  t.log(`${shapes.size} distinct query shapes from ${commands.length} commands:\n${[...shapes.keys()].sort().join('\n')}`);

  // The tour reached every collection that has queries, so a silent monitor cannot pass it.
  const queried = new Set([...shapes.values()].map((q) => q.collection));
  for (const c of ['orders', 'messages', 'chat_members', 'ledger', 'payments', 'calls', 'system_messages', 'topics', 'users']) t.true(queried.has(c), `no query on ${c}`);

  const unserved = [...shapes.entries()].filter(([, q]) => !servedById(q) && !(indexes.get(q.collection) ?? []).some((i) => serves(i, q))).map(([d]) => d);
  t.deepEqual(unserved, [], 'queries no index serves');

  if (target.kind !== 'mongod') {
    t.log('explain(): not run; the mongomock stand-in has no query planner (it refuses explain with code 115)');
    return;
  }
  const { client, db } = await connectMongo(target.uri, `indexes_${newId()}`);
  try {
    await createMongoStore(target.uri, db.databaseName).then((s) => s.close());
    for (const e of commands.filter((c) => c.commandName === 'find')) {
      const c = e.command as Document;
      const plan = await db.collection(c.find).find(c.filter ?? {}, { sort: c.sort, projection: c.projection }).explain('queryPlanner');
      const stages = JSON.stringify(plan.queryPlanner.winningPlan);
      t.false(/"COLLSCAN"|"stage":"SORT"/.test(stages), `${c.find} ${JSON.stringify(c.filter)} sort ${JSON.stringify(c.sort)}: ${stages}`);
    }
  } finally {
    await db.dropDatabase();
    await client.close();
  }
});
