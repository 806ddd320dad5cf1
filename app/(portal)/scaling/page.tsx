import { requirePage } from "@/lib/auth/session.server";
import { can } from "@/lib/auth/permissions";
import { ScalingWorkbench } from "@/components/scaling/scaling-workbench";

export const metadata = { title: "Scaling" };

export default async function ScalingPage() {
  const user = await requirePage("scaling.simulate");
  return (
    <>
      <h1>Autoscaling what-if</h1>
      <p className="subtitle">
        Replay an hour of traffic (upload a CSV: <code>TIMESTAMP,ContextTokens,GeneratedTokens</code> or{" "}
        <code>timestamp,requests_per_second</code>; or use the synthetic demo hour) through HPA/KEDA as they really
        behave, and see replicas, GPU-hours, cost, latency and SLO violations per profile.
      </p>
      <ScalingWorkbench canRequest={can(user, "request.create")} />
    </>
  );
}
