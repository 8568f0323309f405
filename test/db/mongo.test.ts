// The repository contract against MongoDB: a real one when TEST_MONGODB_URI is set (e.g.
// `TEST_MONGODB_URI=mongodb://127.0.0.1:27017 npx ava test/db/mongo.test.ts`), else the
// wire-protocol stand-in (mongomock over the wire, not mongod) started for this file. The
// test titles say which. Each test gets a database of its own, dropped afterwards.
import test from 'ava';
import { connectMongo } from '../../src/db/mongo';
import { createStore } from '../../src/db/store';
import { newId } from '../../src/ids';
import { mongoTarget, type MongoTarget } from '../mongo-standin/standin';
import { storeContract } from './store-contract';

const engine = process.env.TEST_MONGODB_URI ? 'mongodb (mongod at TEST_MONGODB_URI)' : 'mongodb (on mongomock over the wire, not on mongod)';

let target: MongoTarget | undefined;
const ready = async () => (target ??= await mongoTarget());
test.after.always(async () => {
  await target?.stop();
});

test.serial.before(async (t) => {
  t.log(`MongoDB contract runs on ${(await ready()).label}`);
});

storeContract(engine, async () => {
  const { uri } = await ready();
  const dbName = `contract_${newId()}`;
  const store = await createStore({ mongodbUri: uri, mongodbDb: dbName, dataDir: ':memory:' });
  return {
    store,
    async cleanup() {
      await store.close();
      const { client, db } = await connectMongo(uri, dbName);
      await db.dropDatabase();
      await client.close();
    },
  };
});

test(`${engine} › a MONGODB_URI selects the MongoDB engine (no silent fallback to the embedded store)`, async (t) => {
  await t.throwsAsync(createStore({ mongodbUri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300', dataDir: ':memory:' }));
});
