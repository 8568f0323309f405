// Order-list pages the embedded store has built, kept with the list versions they were built
// at (migration 8 counts every change to a user's orders, and to any topic or profile, in
// triggers). A page is handed out again only while both versions are unchanged, so a change
// made by any process sharing the file shows on the next request. A user polling their list
// then costs one key lookup instead of the page's joins and JSON.

/** The two list versions a page depends on: everyone's ('*': topics, profiles) and the user's own orders'. */
export interface ListVersions {
  all: number | null;
  mine: number | null;
}

interface Kept extends ListVersions {
  json: Buffer;
}

/**
 * Within a byte budget: a page is a few KB (up to ~50 KB at the largest limit), and the cache
 * forgets everything once the budget would be passed, as BoundedMap does by entries.
 */
export class ListPageCache {
  private pages = new Map<string, Kept>();
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  /** The page kept under `key`, if it was built at exactly these versions. */
  get(key: string, v: ListVersions): Buffer | undefined {
    const kept = this.pages.get(key);
    return kept && kept.all === v.all && kept.mine === v.mine ? kept.json : undefined;
  }

  set(key: string, v: ListVersions, json: Buffer): void {
    if (json.length > this.maxBytes) return;
    const old = this.pages.get(key);
    if (old) this.bytes -= old.json.length;
    if (this.bytes + json.length > this.maxBytes) {
      this.pages.clear();
      this.bytes = 0;
    }
    this.pages.set(key, { all: v.all, mine: v.mine, json });
    this.bytes += json.length;
  }

  /** Bytes of pages kept (tests). */
  get size(): number {
    return this.bytes;
  }
}
