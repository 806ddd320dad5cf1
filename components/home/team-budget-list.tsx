import { Meter } from "@/components/ui/meter";
import type { TeamMonth } from "@/lib/home/home-items";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** Each team's month so far against its budget, with the month-end forecast; teams forecast over budget first. */
export function TeamBudgetList({ teams }: { teams: TeamMonth[] }) {
  if (teams.length === 0) return <p className="help">No team's costs are visible to you.</p>;
  return (
    <ul className="plain-list budget-list" data-testid="home-budgets">
      {teams.map((t) => (
        <li key={t.slug} data-team={t.slug}>
          <div className="row">
            <strong>{t.name}</strong>
            {t.overBudget && <span className="badge badge-danger">forecast over budget</span>}
            <span className="spacer" />
            {t.budgetUsd === null ? (
              <span className="help">{usd.format(t.spentUsd)} · no budget set</span>
            ) : (
              <Meter
                used={Math.round(t.spentUsd)}
                total={Math.round(t.budgetUsd)}
                projected={Math.round(t.forecastUsd)}
                label={`${t.name}: spent of budget this month, in US dollars`}
                unit=" USD"
              />
            )}
          </div>
          <div className="help">
            forecast {usd.format(t.forecastUsd)} by month end{t.budgetUsd !== null && ` of ${usd.format(t.budgetUsd)}`}
          </div>
        </li>
      ))}
    </ul>
  );
}
