// Whether the plan would work once applied. Viability is pass or blocked, not a grade: the summary says how many
// findings block the submit and lists them first, as what to fix; the rest are worth a look but block nothing.
import { Alert } from "@/components/ui/alert";
import type { SecurityReport } from "@/lib/security/types";
import { advisoryFindings, blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { FindingList } from "./finding-list";

export function ViabilitySummary({ report }: { report: SecurityReport }) {
  const blocking = blockingFindings(report);
  const advisory = advisoryFindings(report);
  return (
    <div data-testid="viability-summary" data-blocking={blocking.length}>
      {blocking.length > 0 ? (
        <Alert
          tone="danger"
          title={`${blocking.length} blocking ${blocking.length === 1 ? "finding" : "findings"}:`}
          testId="viability-verdict"
        >
          applied as it is, this plan would not work (pods stay Pending, containers crash, backups miss data). It cannot
          be submitted until each one below is fixed.
        </Alert>
      ) : (
        <Alert tone="info" title="Nothing blocks this plan:" testId="viability-verdict">
          pods schedule, volumes bind, containers run and backups hold the data, as far as the plan shows.
        </Alert>
      )}
      {blocking.length > 0 && (
        <>
          <h3 className="h3">What to fix ({blocking.length})</h3>
          <FindingList findings={blocking} label="What to fix" />
        </>
      )}
      {advisory.length > 0 && (
        <>
          <h3 className="h3">Worth checking ({advisory.length})</h3>
          <p className="help">These do not block the submit.</p>
          <FindingList findings={advisory} label="Worth checking" />
        </>
      )}
    </div>
  );
}
