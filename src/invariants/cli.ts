// `npm run check-invariants`: checks the store the server's environment names (MONGODB_URI,
// else DATA_DIR), prints each violation on a line of its own and exits 1, or prints a short
// "ok" summary and exits 0. Exit 2: the store could not be read.
import 'dotenv/config';
import { loadConfigOrExit } from '../config';
import { createStore } from '../db/store';
import { checkInvariants } from './invariants';

const config = loadConfigOrExit();
const store = await createStore({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR });
let code = 0;
try {
  const { violations, checked } = await checkInvariants(store);
  const counts = Object.entries(checked).map(([k, n]) => `${n} ${k}`).join(', ');
  if (violations.length === 0) {
    process.stdout.write(`ok: ${store.engine} store consistent (${counts})\n`);
  } else {
    for (const v of violations) process.stdout.write(`${v.check}: ${v.subject}: ${v.message}\n`);
    process.stdout.write(`${violations.length} invariant violations in the ${store.engine} store (${counts})\n`);
    code = 1;
  }
} catch (err) {
  process.stderr.write(`check-invariants: could not read the store: ${(err as Error).message}\n`);
  code = 2;
} finally {
  await store.close();
}
process.exit(code);
