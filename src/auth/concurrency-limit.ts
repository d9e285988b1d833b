/**
 * Lets at most `limit` tasks run at once; the others wait in arrival order. Used to keep
 * argon2 from taking every thread of libuv's pool, so that other work keeps a lane.
 */
export class ConcurrencyLimit {
  private running = 0;
  // Not yet: the queue has no bound, so a flood of logins grows memory and latency instead
  // of being refused early; a bound wants a "busy" error code that clients can retry on.
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Runs `task` as soon as a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // A waiter inherits the slot, so `running` only drops when nobody is waiting.
      if (next) next();
      else this.running -= 1;
    }
  }
}
