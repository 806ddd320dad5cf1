import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session.server";
import { readEnv } from "@/lib/env/get-env";
import { SignInForm } from "@/components/auth/sign-in-form";
import { demoAccounts } from "@/lib/auth/demo-accounts";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string | string[] }>;
}) {
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  const env = readEnv();
  const demo = env.ok && env.env.PORTAL_DEMO_LOGIN;
  const oidc = env.ok && Boolean(env.env.OIDC_ISSUER);
  const safeCallback = safeCallbackPath(callbackUrl, (env.ok && env.env.NEXTAUTH_URL) || "http://localhost:3000");
  return (
    <main id="main" className="content signin-main">
      <h1>Sign in to the ML Infrastructure Portal</h1>
      <p className="subtitle">Request GPU capacity, follow costs and run disaster-recovery drills.</p>
      <div className="card">
        <SignInForm
          demo={Boolean(demo)}
          oidc={oidc}
          callbackUrl={safeCallback}
          initialError={signInErrorMessage(error)}
        />
      </div>
      {demo && (
        <section className="card mt-16" aria-labelledby="demo-accounts">
          <h2 className="flush-top" id="demo-accounts">
            Demo accounts
          </h2>
          <p className="help">
            This portal runs on its embedded demo database. Every demo password is <code>demo-password</code>.
          </p>
          <table className="table">
            <thead>
              <tr>
                <th>Email</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {demoAccounts.map((a) => (
                <tr key={a.email}>
                  <td>
                    <code>{a.email}</code>
                  </td>
                  <td>{a.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!demo && !oidc && (
        <div className="alert alert-warning" role="status">
          No sign-in method is configured: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or
          PORTAL_DEMO_LOGIN=true for a demo.
        </div>
      )}
    </main>
  );
}
