// The repository contract against MongoDB, when TEST_MONGODB_URI points at one (e.g.
// `TEST_MONGODB_URI=mongodb://127.0.0.1:27017 npx ava test/db/mongo.test.ts`). Each test
// gets a database of its own, dropped afterwards.
import test from 'ava';
import { connectMongo } from '../../src/db/mongo';
import { createStore } from '../../src/db/store';
import { newId } from '../../src/ids';
import { SECTIONS, storeContract } from './store-contract';

const uri = process.env.TEST_MONGODB_URI;

if (uri) {
  storeContract('mongodb', async () => {
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
} else {
  test('mongodb › the repository contract was NOT run: no MongoDB at TEST_MONGODB_URI on this machine', async (t) => {
    t.log('SKIPPED: the MongoDB run of the store contract (test/db/store-contract.ts).');
    t.log('Why: TEST_MONGODB_URI is not set, and this machine has no MongoDB to point it at.');
    t.log(`Not run: ${Object.keys(SECTIONS).join(', ')} against MongoDB. Set TEST_MONGODB_URI=mongodb://… to run them.`);
    // What can be checked without a server: a MONGODB_URI selects the MongoDB engine (it
    // fails to connect) instead of silently falling back to the embedded store.
    await t.throwsAsync(createStore({ mongodbUri: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300', dataDir: ':memory:' }));
  });
}
