// The replicas with a pending event, keyed by the time of that event (their nextAt). Each replica sits in it at
// most once, at its own position (heapIndex), and moves when its time changes: a stream of reschedules leaves
// no stale entries behind, so the next event is found in O(1) and a reschedule costs O(log replicas).
export interface Scheduled {
  nextAt: number;
  // Position in the queue, -1 when not in it (nextAt is +Infinity).
  heapIndex: number;
}

export class EventQueue<T extends Scheduled> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  // The earliest event's time, +Infinity when none is pending.
  peekTime(): number {
    return this.items.length ? this.items[0]!.nextAt : Number.POSITIVE_INFINITY;
  }

  // The item of the earliest event; the queue must not be empty.
  peek(): T {
    return this.items[0]!;
  }

  // Puts the item at its (new) nextAt, or takes it out when that is +Infinity.
  update(item: T): void {
    const i = item.heapIndex;
    if (item.nextAt === Number.POSITIVE_INFINITY) {
      if (i >= 0) this.removeAt(i);
      return;
    }
    if (i < 0) {
      item.heapIndex = this.items.length;
      this.items.push(item);
      this.siftUp(item.heapIndex);
    } else if (!this.siftUp(i)) this.siftDown(i);
  }

  // A copy holding mapItem's images of the items (which must carry the same nextAt and heapIndex).
  clone(mapItem: (item: T) => T): EventQueue<T> {
    const copy = new EventQueue<T>();
    copy.items = this.items.map(mapItem);
    return copy;
  }

  private removeAt(i: number): void {
    const items = this.items;
    const removed = items[i]!;
    const last = items.pop()!;
    removed.heapIndex = -1;
    if (i < items.length) {
      items[i] = last;
      last.heapIndex = i;
      if (!this.siftUp(i)) this.siftDown(i);
    }
  }

  // Moves the item at i up while it is earlier than its parent; true when it moved.
  private siftUp(i: number): boolean {
    const items = this.items;
    const item = items[i]!;
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (p.nextAt <= item.nextAt) break;
      items[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    items[i] = item;
    item.heapIndex = i;
    return i !== start;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && items[l + 1]!.nextAt < items[l]!.nextAt ? l + 1 : l;
      const child = items[c]!;
      if (child.nextAt >= item.nextAt) break;
      items[i] = child;
      child.heapIndex = i;
      i = c;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
