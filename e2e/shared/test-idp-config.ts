// Where the e2e OpenID Provider listens and how the portal knows it: one place for the server's environment
// (scripts/e2e-server.ts) and the specs that start the provider. Its port follows the portal's, so helpers running
// e2e side by side on different ports never meet.
export const TEST_IDP_CLIENT_ID = "ml-portal-e2e";
export const TEST_IDP_CLIENT_SECRET = "ml-portal-e2e-client-secret-0123456789";

export function testIdpPort(portalPort: number): number {
  return portalPort + 1000;
}

export function testIdpEnv(portalPort: number): Record<string, string> {
  return {
    OIDC_ISSUER: `http://127.0.0.1:${testIdpPort(portalPort)}`,
    OIDC_CLIENT_ID: TEST_IDP_CLIENT_ID,
    OIDC_CLIENT_SECRET: TEST_IDP_CLIENT_SECRET,
  };
}
