// The newest backups of every cluster in one card: a primary and its standby hold backups of the same name (the
// standby syncs them), so one flat list reads as duplicates. Grouped by cluster, newest cluster first. Pure.

export function groupByCluster<T extends { cluster: { id: string; name: string } }>(
  items: readonly T[],
): { cluster: { id: string; name: string }; items: T[] }[] {
  const groups = new Map<string, { cluster: { id: string; name: string }; items: T[] }>();
  for (const item of items) {
    const group = groups.get(item.cluster.id) ?? { cluster: item.cluster, items: [] };
    group.items.push(item);
    groups.set(item.cluster.id, group);
  }
  return [...groups.values()];
}
