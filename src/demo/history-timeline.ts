/**
 * Simulated time for the demo history: things scheduled at instants (ms), played in time order — ties in
 * the order they were scheduled, so a run is deterministic. Nothing past the end is played; it is kept,
 * and played when the end moves on (`extend`: the history catches up with the clock).
 */
export class Timeline {
  /** The simulated present: the instant of the entry being played. */
  now: number;
  private readonly heap: Entry[] = [];
  /** Entries past the end, played if the end moves past them. */
  private later: Entry[] = [];
  private order = 0;

  constructor(public end: number) {
    this.now = end;
  }

  get size(): number {
    return this.heap.length;
  }

  schedule(at: number, run: () => Promise<void>): void {
    const entry = { at, order: this.order++, run };
    if (at > this.end) this.later.push(entry);
    else this.push(entry);
  }

  /** Moves the end on to `end`: what was kept for after the old end and falls before the new one is due. */
  extend(end: number): void {
    this.end = Math.max(this.end, end);
    const later = this.later;
    this.later = [];
    for (const entry of later) {
      if (entry.at > this.end) this.later.push(entry);
      else this.push(entry);
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  }

  /** Plays everything in time order (entries may schedule more); a failing entry is reported, not thrown. */
  async play(onError: (at: number, error: unknown) => void): Promise<void> {
    for (let entry = this.pop(); entry; entry = this.pop()) {
      this.now = entry.at;
      try {
        await entry.run();
      } catch (error) {
        onError(entry.at, error);
      }
    }
    this.now = this.end;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
        if (l + 1 < heap.length && earlier(heap[l + 1]!, heap[m]!)) m = l + 1;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

interface Entry {
  at: number;
  order: number;
  run: () => Promise<void>;
}

const earlier = (a: Entry, b: Entry) => a.at < b.at || (a.at === b.at && a.order < b.order);
