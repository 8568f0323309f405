// The fault tests (test/faults/, `npm run test:faults`): real processes (web nodes, clocks,
// a private redis-server), so one file at a time. Otherwise the settings of `npm test`.
import { readFileSync } from 'node:fs';

const { ava } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

export default { ...ava, files: ['test/faults/**/*.test.ts'], concurrency: 1, timeout: '120s' };
