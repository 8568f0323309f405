// A token bucket: `ratePerS` tokens a second, at most `burst` saved up. A socket that sends
// faster than the rate for longer than the burst gets 907 until tokens come back.
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private ratePerS: number,
    private burst: number,
    private nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = nowMs();
  }

  /** Takes one token; false (and nothing taken) when the bucket is empty. */
  take(): boolean {
    const now = this.nowMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerS);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
