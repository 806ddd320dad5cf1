// A binary min-heap of (time, item) in parallel arrays: the next request to finish, in O(log n), without
// allocating per operation (the simulator pushes and pops one entry per request).
export class CompletionHeap<T> {
  private times: number[] = [];
  private items: T[] = [];

  get size(): number {
    return this.times.length;
  }

  // Time of the earliest entry, +Infinity when empty.
  peekTime(): number {
    return this.times.length ? this.times[0]! : Number.POSITIVE_INFINITY;
  }

  // The earliest entry's item; the heap must not be empty.
  peekItem(): T {
    return this.items[0]!;
  }

  push(time: number, item: T): void {
    const t = this.times;
    const p = this.items;
    let i = t.length;
    t.push(time);
    p.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (t[parent]! <= time) break;
      t[i] = t[parent]!;
      p[i] = p[parent]!;
      i = parent;
    }
    t[i] = time;
    p[i] = item;
  }

  // Removes and returns the earliest entry's item; the heap must not be empty.
  pop(): T {
    const t = this.times;
    const p = this.items;
    const top = p[0];
    const lastTime = t.pop()!;
    const lastItem = p.pop()!;
    const n = t.length;
    if (n) {
      // Sift the last entry down from the root, moving smaller children up.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && t[l + 1]! < t[l]! ? l + 1 : l;
        if (t[c]! >= lastTime) break;
        t[i] = t[c]!;
        p[i] = p[c]!;
        i = c;
      }
      t[i] = lastTime;
      p[i] = lastItem;
    }
    return top!;
  }

  clone(mapItem: (item: T) => T): CompletionHeap<T> {
    const copy = new CompletionHeap<T>();
    copy.times = this.times.slice();
    copy.items = this.items.map(mapItem);
    return copy;
  }
}
