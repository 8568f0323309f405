// A process-local memo that forgets everything once it holds `max` entries: for what is
// cheap to find again (an order's parties, a room seen, a prepared statement, room names)
// and must not grow without bound in a long-running process.
export class BoundedMap<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): V {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
    return value;
  }

  /** The value for `key`, made (and kept) on a miss. */
  getOr(key: string, make: () => V): V {
    const v = this.map.get(key);
    return v === undefined ? this.set(key, make()) : v;
  }
}
