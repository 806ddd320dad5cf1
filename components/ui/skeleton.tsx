/** Placeholder blocks while something loads: the shape of what is coming, not a spinner. */
export function Skeleton({
  lines = 3,
  height = 16,
  label = "Loading",
}: {
  lines?: number;
  height?: number;
  label?: string;
}) {
  return (
    <div role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ height, marginBottom: 8, width: `${100 - (i % 3) * 15}%` }} />
      ))}
    </div>
  );
}
