import { requirePage } from "@/lib/auth/session.server";
import { PlaceholderPage } from "@/components/ui/placeholder-page";

export const metadata = { title: "Scaling" };

export default async function Page() {
  await requirePage("scaling.simulate");
  return <PlaceholderPage title="Scaling" issue="issue 7" description="Autoscaling what-if against real traffic" />;
}
