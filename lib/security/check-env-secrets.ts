// Literal values in env vars whose names say they hold a secret.
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asArray, asRecord, containerName, listContainers, type PodSpecLocation } from "./pod-specs";

const secretWords = new Set([
  "PASSWORD",
  "PASSWD",
  "PWD",
  "SECRET",
  "TOKEN",
  "KEY",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "PRIVATE",
]);
// Names that point at a secret rather than hold one.
const pointerWords = new Set(["FILE", "PATH", "DIR", "NAME", "ID", "REF", "URL", "ARN", "LENGTH", "TTL"]);

export function looksLikeSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || pointerWords.has(words[words.length - 1]!)) return false;
  return words.some((word) => secretWords.has(word));
}

export function checkEnvSecrets(pod: PodSpecLocation): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const location of listContainers(pod)) {
    asArray(location.container.env).forEach((item, index) => {
      const variable = asRecord(item);
      if (!variable || typeof variable.name !== "string" || typeof variable.value !== "string") return;
      const value = variable.value.trim();
      // Empty values and pure $(OTHER_VAR) references carry no secret.
      if (value === "" || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) return;
      if (!looksLikeSecretName(variable.name)) return;
      findings.push(
        makeFinding(
          "env.secret-literal",
          pod.object,
          `${location.path}.env[${index}].value`,
          `Container ${containerName(location)} sets ${variable.name} to a literal value.`,
        ),
      );
    });
  }
  return findings;
}
