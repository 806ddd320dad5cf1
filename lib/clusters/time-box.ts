// A read that answers in time or gives way: a page that reads several clusters must not wait for an unreachable one.

/** The promise's value, or `late()`'s when it has not settled within `ms`; the timer never outlives the race. */
export async function withinTime<T, L>(work: Promise<T>, ms: number, late: () => L): Promise<T | L> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
