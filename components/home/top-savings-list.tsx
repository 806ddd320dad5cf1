import Link from "next/link";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export interface TopSaving {
  id: string;
  title: string;
  projectedSavingsUsd: number;
  /** The owning team's name, or null for fleet-wide advice. */
  teamName: string | null;
}

/** The largest open savings, each linked to its row in the costs page's recommendations. */
export function TopSavingsList({ items }: { items: readonly TopSaving[] }) {
  if (items.length === 0) return <p className="empty">No open recommendation.</p>;
  return (
    <ol>
      {items.map((r) => (
        <li key={r.id}>
          <Link href={`/costs?recommendation=${r.id}#recs-title`}>{r.title}</Link> ·{" "}
          <strong>{usd.format(r.projectedSavingsUsd)}/month</strong>
          {r.teamName && <span className="help"> · {r.teamName}</span>}
        </li>
      ))}
    </ol>
  );
}
