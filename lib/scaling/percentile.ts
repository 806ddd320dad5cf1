// Nearest-rank percentile of an ascending-sorted list: the smallest value with at least q of the values
// at or below it. Empty lists give 0.
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  // 1 <= rank and the list is not empty, so the index is in range.
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(Float64Array.from(values as ArrayLike<number>).sort(), q);
}
