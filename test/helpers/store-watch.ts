// Wraps a Store so a test can see every repository call the app made: "a refused request
// changes nothing" becomes "it made no store call" (docs/errors.md: input is checked before
// anything is read or written). Generic over the repositories, so new ones are watched too.
import type { Store } from '../../src/db/store';

/** Repository methods that only read; anything else counts as a write. */
const READ = /^(get|list|count|find|balance|has|exists|read|unread|history|summary)/i;

export interface WatchedStore {
  store: Store;
  /** `repo.method` of every call since the last reset */
  calls: string[];
  writes(): string[];
  reset(): void;
}

export function watchStore(inner: Store): WatchedStore {
  const calls: string[] = [];
  const wrapped = new Map<string, object>();
  const wrapRepo = (name: string, repo: object) =>
    new Proxy(repo, {
      get(target, method, receiver) {
        const value = Reflect.get(target, method, receiver);
        if (typeof value !== 'function' || typeof method !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push(`${name}.${method}`);
          return value.apply(target, args);
        };
      },
    });
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || value === null || typeof value !== 'object') return value;
      if (!wrapped.has(prop)) wrapped.set(prop, wrapRepo(prop, value));
      return wrapped.get(prop);
    },
  });
  return {
    store,
    calls,
    writes: () => calls.filter((c) => !READ.test(c.split('.')[1] ?? '')),
    reset: () => void (calls.length = 0),
  };
}
