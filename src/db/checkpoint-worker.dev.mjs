// Under tsx (npm run dev, the tests) the worker thread has no TypeScript loader of its own:
// this registers tsx in the thread, then loads the worker's source.
import { register } from 'tsx/esm/api';

register();
await import('./checkpoint-worker.ts');
