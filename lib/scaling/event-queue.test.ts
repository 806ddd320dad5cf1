// The replica pool takes its next event from this queue: after any sequence of reschedules it must name an item
// with the earliest pending time, exactly as a scan over all items would.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, type Scheduled } from "./event-queue";

describe("EventQueue", () => {
  it("always heads with the earliest pending time after any reschedules", () => {
    const inf = Number.POSITIVE_INFINITY;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(
          fc.record({
            item: fc.nat(),
            at: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(inf), fc.constant(5)),
          }),
          { maxLength: 200 },
        ),
        (count, moves) => {
          const items: Scheduled[] = Array.from({ length: count }, () => ({ nextAt: inf, heapIndex: -1 }));
          const queue = new EventQueue<Scheduled>();
          for (const { item, at } of moves) {
            const x = items[item % count]!;
            x.nextAt = at;
            queue.update(x);
            const pending = items.filter((i) => i.nextAt < inf);
            expect(queue.size).toBe(pending.length);
            expect(queue.peekTime()).toBe(Math.min(inf, ...pending.map((i) => i.nextAt)));
            if (pending.length) expect(queue.peek().nextAt).toBe(queue.peekTime());
            for (const i of items) expect(i.heapIndex >= 0).toBe(i.nextAt < inf);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
