// The server Playwright starts: a fresh database on the machine's PostgreSQL (TEST_DATABASE_URL's server),
// migrated and demo-seeded, the sandbox cluster, the production build, a web process and a worker.
import { spawn } from "node:child_process";
import path from "node:path";
import { createEmptyDatabase } from "@/test-support/test-database";
import { testIdpEnv } from "@/e2e/shared/test-idp-config";

async function main() {
  const root = path.resolve(__dirname, "..");
  const db = await createEmptyDatabase("portal_e2e");
  const child = spawn(
    process.execPath,
    [
      path.join(root, "node_modules", "tsx", "dist", "cli.mjs"),
      "--conditions=react-server",
      path.join(root, "scripts", "start.ts"),
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: process.env.E2E_PORT ?? "3100",
        PORTAL_DEMO_LOGIN: "true",
        PORTAL_SEED_DEMO: "true",
        PORTAL_SANDBOX_CLUSTER: "true",
        NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
        NEXTAUTH_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`,
        // Single sign-on against the OpenID Provider e2e/shared/test-idp.ts starts inside the specs that use it.
        ...testIdpEnv(Number(process.env.E2E_PORT ?? "3100")),
      },
    },
  );
  const stop = () => child.kill("SIGTERM");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  child.on("exit", async (code) => {
    await db.drop().catch(() => undefined);
    process.exit(code ?? 0);
  });
}

void main();
