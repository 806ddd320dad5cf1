import "server-only";
// The key that seals stored secrets: from PORTAL_SECRET_KEY, else from NEXTAUTH_SECRET (which production requires),
// so an existing installation gets encryption at rest without a new setting. Outside production with neither set
// (int tests, a bare `next dev`) a fixed development key is used: the data there is throwaway.
import { getEnv } from "@/lib/env/get-env";
import { deriveKey } from "./secret-box";

const DEVELOPMENT_ONLY = "ml-portal development key: set PORTAL_SECRET_KEY or NEXTAUTH_SECRET";

export function storedSecretKey(purpose: string): Buffer {
  const env = getEnv();
  const material = env.PORTAL_SECRET_KEY ?? env.NEXTAUTH_SECRET;
  if (!material && env.NODE_ENV === "production")
    throw new Error("PORTAL_SECRET_KEY or NEXTAUTH_SECRET must be set to read or store secrets");
  return deriveKey(material ?? DEVELOPMENT_ONLY, purpose);
}
