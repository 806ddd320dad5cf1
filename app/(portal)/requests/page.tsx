import { requirePage } from "@/lib/auth/session.server";
import { PlaceholderPage } from "@/components/ui/placeholder-page";

export const metadata = { title: "Requests" };

export default async function Page() {
  await requirePage("request.read");
  return <PlaceholderPage title="Requests" issue="issue 4" description="Self-service requests, approvals and applies" />;
}
