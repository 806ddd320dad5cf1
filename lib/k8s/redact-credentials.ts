// Credentials must never reach logs, errors or responses: every message built from client or server text
// passes through here before it leaves lib/k8s.
const patterns: Array<[RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[^\s"',}]+/gi, "$1$2 [REDACTED]"],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [REDACTED]"],
  [
    /(["']?(?:token|password|client-key-data|client-certificate-data|id-token|refresh-token|access-token)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
    "$1[REDACTED]",
  ],
];

export function redactCredentials(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[REDACTED]");
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}
