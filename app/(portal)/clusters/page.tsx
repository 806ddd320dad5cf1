import { requirePage } from "@/lib/auth/session.server";
import { PlaceholderPage } from "@/components/ui/placeholder-page";

export const metadata = { title: "Clusters" };

export default async function Page() {
  await requirePage("cluster.read");
  return <PlaceholderPage title="Clusters" issue="issue 4" description="Registered Kubernetes clusters the portal applies to" />;
}
