// Requests and memory limits: what the scheduler and autoscalers rely on, and what contains a runaway process.
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asRecord, containerName, listContainers, type PodSpecLocation } from "./pod-specs";

export function checkResources(pod: PodSpecLocation): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const location of listContainers(pod)) {
    // Ephemeral (debug) containers cannot declare resources.
    if (location.list === "ephemeralContainers") continue;
    const name = containerName(location);
    const resources = asRecord(location.container.resources) ?? {};
    const requests = asRecord(resources.requests) ?? {};
    const limits = asRecord(resources.limits) ?? {};
    // Kubernetes defaults requests to limits when only limits are set, so a limit counts as a request.
    const missingRequests = ["cpu", "memory"].filter((key) => requests[key] === undefined && limits[key] === undefined);
    if (missingRequests.length > 0) {
      findings.push(
        makeFinding(
          "resources.requests-missing",
          pod.object,
          `${location.path}.resources.requests`,
          `Container ${name} has no ${missingRequests.join(" or ")} request.`,
        ),
      );
    }
    if (limits.memory === undefined) {
      findings.push(
        makeFinding(
          "resources.limits-missing",
          pod.object,
          `${location.path}.resources.limits.memory`,
          `Container ${name} has no memory limit.`,
        ),
      );
    }
  }
  return findings;
}
