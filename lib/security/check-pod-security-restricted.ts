// Pod Security Standards "restricted": current pod hardening best practice.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { baselineCapabilities, normalizeCapability } from "./check-pod-security-baseline";
import {
  asArray,
  asRecord,
  containerName,
  describeValue,
  listContainers,
  type JsonRecord,
  type PodSpecLocation,
} from "./pod-specs";

const restrictedVolumeTypes = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

const confinedSeccompTypes = new Set(["RuntimeDefault", "Localhost"]);

export function checkPodSecurityRestricted(pod: PodSpecLocation): SecurityFinding[] {
  const { object, spec, path } = pod;
  const findings: SecurityFinding[] = [];
  const podContext = asRecord(spec.securityContext) ?? {};
  const podSeccomp = asRecord(podContext.seccompProfile)?.type;

  if (podContext.runAsUser === 0) {
    findings.push(
      makeFinding("pss.run-as-root", object, `${path}.securityContext.runAsUser`, "The pod sets runAsUser: 0 (root)."),
    );
  }

  asArray(spec.volumes).forEach((item, index) => {
    const volume = asRecord(item);
    if (!volume) return;
    // hostPath is a baseline violation, reported by the baseline check with its own advice.
    const types = Object.keys(volume).filter((key) => key !== "name" && key !== "hostPath");
    for (const type of types) {
      if (!restrictedVolumeTypes.has(type)) {
        findings.push(
          makeFinding(
            "pss.restricted-volume-type",
            object,
            `${path}.volumes[${index}].${type}`,
            `Volume ${describeValue(volume.name)} uses the ${type} volume type.`,
          ),
        );
      }
    }
  });

  for (const location of listContainers(pod)) {
    const name = containerName(location);
    const contextPath = `${location.path}.securityContext`;
    const context = asRecord(location.container.securityContext);
    if (!context) {
      // One finding instead of four: the fix is a single block, and people search for "missing security context".
      const missing = ["allowPrivilegeEscalation: false", 'capabilities.drop: ["ALL"]'];
      if (podContext.runAsNonRoot !== true) missing.push("runAsNonRoot: true");
      if (typeof podSeccomp !== "string" || !confinedSeccompTypes.has(podSeccomp))
        missing.push("seccompProfile.type: RuntimeDefault");
      findings.push(
        makeFinding(
          "pss.security-context-missing",
          object,
          contextPath,
          `Container ${name} has no securityContext; missing ${missing.join(", ")}.`,
        ),
      );
      continue;
    }
    findings.push(...checkContainerContext(pod, context, podContext, contextPath, name));
  }
  return findings;
}

function checkContainerContext(
  pod: PodSpecLocation,
  context: JsonRecord,
  podContext: JsonRecord,
  contextPath: string,
  name: string,
): SecurityFinding[] {
  const { object } = pod;
  const findings: SecurityFinding[] = [];
  if (context.allowPrivilegeEscalation !== false) {
    findings.push(
      makeFinding(
        "pss.allow-privilege-escalation",
        object,
        `${contextPath}.allowPrivilegeEscalation`,
        `Container ${name} does not set allowPrivilegeEscalation: false.`,
      ),
    );
  }
  const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
  if (runAsNonRoot !== true) {
    const detail =
      context.runAsNonRoot === false
        ? "sets runAsNonRoot: false"
        : "is not required to run as non-root (neither it nor the pod sets runAsNonRoot: true)";
    findings.push(
      makeFinding("pss.run-as-non-root", object, `${contextPath}.runAsNonRoot`, `Container ${name} ${detail}.`),
    );
  }
  if (context.runAsUser === 0) {
    findings.push(
      makeFinding("pss.run-as-root", object, `${contextPath}.runAsUser`, `Container ${name} sets runAsUser: 0 (root).`),
    );
  }
  const seccomp = asRecord(context.seccompProfile)?.type ?? asRecord(podContext.seccompProfile)?.type;
  // Unconfined is a baseline violation reported by the baseline check.
  if (seccomp !== "Unconfined" && (typeof seccomp !== "string" || !confinedSeccompTypes.has(seccomp))) {
    findings.push(
      makeFinding(
        "pss.seccomp-profile-missing",
        object,
        `${contextPath}.seccompProfile`,
        `Container ${name} runs without a seccomp profile (set RuntimeDefault here or at pod level).`,
      ),
    );
  }
  const capabilities = asRecord(context.capabilities);
  const dropped = asArray(capabilities?.drop).map(normalizeCapability);
  if (!dropped.includes("ALL")) {
    findings.push(
      makeFinding(
        "pss.capabilities-not-dropped",
        object,
        `${contextPath}.capabilities.drop`,
        `Container ${name} does not drop ALL capabilities.`,
      ),
    );
  }
  asArray(capabilities?.add).forEach((capability, index) => {
    const normalized = normalizeCapability(capability);
    // Capabilities outside the baseline set are reported (higher) by the baseline check.
    if (baselineCapabilities.has(normalized) && normalized !== "NET_BIND_SERVICE") {
      findings.push(
        makeFinding(
          "pss.capabilities-added-restricted",
          object,
          `${contextPath}.capabilities.add[${index}]`,
          `Container ${name} adds capability ${normalized}.`,
        ),
      );
    }
  });
  return findings;
}
