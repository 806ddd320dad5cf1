import Link from "next/link";
import { redirect } from "next/navigation";
import { headers } from "next/headers";
import { getCurrentUser } from "@/lib/auth/session.server";
import { navigationFor } from "@/components/shell/navigation";
import { NavLinks } from "@/components/shell/nav-links";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { listVisibleTeams } from "@/lib/people/list-visible-teams.server";
import { ApiProvider } from "@/lib/client/hooks";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent((await headers()).get("x-portal-path") ?? "/")}`);
  const teams = await listVisibleTeams({ actor: user });
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="shell-nav" aria-label="Main">
        <Link className="brand" href="/">
          ML Infra Portal
        </Link>
        <NavLinks items={navigationFor(user).map(({ href, label }) => ({ href, label }))} />
      </nav>
      <div className="shell-main">
        <header className="topbar">
          <span data-testid="current-user">
            <strong>{user.name}</strong> ·{" "}
            <span className="badge badge-info" data-testid="current-role">
              {user.role}
            </span>
            {teams.length > 0 && <span className="subtitle"> · {teams.map((t) => t.name).join(", ")}</span>}
          </span>
          <SignOutButton />
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <ApiProvider>{children}</ApiProvider>
        </main>
      </div>
    </div>
  );
}
