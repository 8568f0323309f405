// One chat's appends, one at a time, in the order they were asked for. The messages a socket
// sends reach the service in the order sent; queued per order, each is stored (taking the
// order's next seq) and pushed before the next one starts, so seqs follow the sending order
// and pushes follow the seqs on any engine. Without it, concurrent appends take their seqs in
// whatever order their store round trips land (MongoDB's append is several of them over
// pooled connections). Orders are independent: only an order's own appends wait.
export class OrderQueue {
  /** The last queued task of each order with work in flight; an order leaves when it drains. */
  private tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it for `o_id`; starts at once when none is. */
  run<T>(o_id: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(o_id);
    const result = before ? before.then(task) : task();
    // The tail never rejects: a failed append does not hold back the next one.
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(o_id, tail);
    void tail.then(() => {
      if (this.tails.get(o_id) === tail) this.tails.delete(o_id);
    });
    return result;
  }

  /** Orders with appends queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
