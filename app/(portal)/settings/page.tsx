import { requirePage } from "@/lib/auth/session.server";
import { PlaceholderPage } from "@/components/ui/placeholder-page";

export const metadata = { title: "Settings" };

export default async function Page() {
  await requirePage("settings.manage");
  return <PlaceholderPage title="Settings" issue="issues 4 and 5" description="Data sources, allow-lists and budgets" />;
}
