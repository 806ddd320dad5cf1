// Pod Security Standards "baseline": the controls that prevent known privilege escalations.
// https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asArray, asRecord, containerName, describeValue, listContainers, type PodSpecLocation } from "./pod-specs";

export const baselineCapabilities = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

const safeSysctls = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

const allowedSeLinuxTypes = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);

/**
 * Device plugins (NVIDIA's among them) register with the kubelet through a socket in this directory, so a
 * DaemonSet mounting it is expected. It is still node access, so it is reported, at medium rather than high.
 * Annotations do not lower severity: whoever writes the manifest should not be able to waive its review.
 */
export const devicePluginDirectory = "/var/lib/kubelet/device-plugins";

export function checkPodSecurityBaseline(pod: PodSpecLocation): SecurityFinding[] {
  const { object, spec, path } = pod;
  const findings: SecurityFinding[] = [];
  const podContext = asRecord(spec.securityContext) ?? {};

  for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (spec[field] === true) {
      findings.push(
        makeFinding(
          "pss.host-namespaces",
          object,
          `${path}.${field}`,
          `${field} is true: the pod shares the node's namespace.`,
        ),
      );
    }
  }
  if (asRecord(podContext.windowsOptions)?.hostProcess === true) {
    findings.push(
      makeFinding(
        "pss.host-process",
        object,
        `${path}.securityContext.windowsOptions.hostProcess`,
        "The pod runs as a Windows HostProcess.",
      ),
    );
  }
  checkSharedContextFields(podContext, `${path}.securityContext`, "The pod", pod, findings);

  // The annotation form of AppArmor, still common in older manifests (deprecated since Kubernetes 1.30).
  for (const [key, value] of Object.entries(asRecord(pod.metadata.annotations) ?? {})) {
    if (key.startsWith("container.apparmor.security.beta.kubernetes.io/") && value === "unconfined") {
      findings.push(
        makeFinding(
          "pss.apparmor-unconfined",
          object,
          `${pod.metadataPath}.annotations["${key}"]`,
          `Container ${key.split("/")[1]} runs without AppArmor (annotation ${key}: unconfined).`,
        ),
      );
    }
  }

  asArray(podContext.sysctls).forEach((item, index) => {
    const name = asRecord(item)?.name;
    if (typeof name === "string" && !safeSysctls.has(name)) {
      findings.push(
        makeFinding(
          "pss.unsafe-sysctls",
          object,
          `${path}.securityContext.sysctls[${index}].name`,
          `Sysctl ${name} is not in the safe set.`,
        ),
      );
    }
  });

  asArray(spec.volumes).forEach((item, index) => {
    const volume = asRecord(item);
    const hostPath = asRecord(volume?.hostPath);
    if (!volume || !hostPath) return;
    const hostDirectory = typeof hostPath.path === "string" ? hostPath.path : "";
    const isDevicePlugin = object.kind === "DaemonSet" && isWithin(hostDirectory, devicePluginDirectory);
    const message = isDevicePlugin
      ? `Volume ${describeValue(volume.name)} mounts the host directory ${hostDirectory}: expected for a device plugin DaemonSet (kubelet registration socket), reported at medium so it stays reviewed; keep it in a dedicated namespace and mount nothing else from the host.`
      : `Volume ${describeValue(volume.name)} mounts the host path ${hostDirectory || "(no path)"}.`;
    findings.push(
      makeFinding(
        "pss.host-path",
        object,
        `${path}.volumes[${index}].hostPath`,
        message,
        isDevicePlugin ? "medium" : undefined,
      ),
    );
  });

  for (const location of listContainers(pod)) {
    const name = containerName(location);
    const context = asRecord(location.container.securityContext) ?? {};
    const contextPath = `${location.path}.securityContext`;
    if (context.privileged === true) {
      findings.push(
        makeFinding("pss.privileged", object, `${contextPath}.privileged`, `Container ${name} runs privileged.`),
      );
    }
    if (asRecord(context.windowsOptions)?.hostProcess === true) {
      findings.push(
        makeFinding(
          "pss.host-process",
          object,
          `${contextPath}.windowsOptions.hostProcess`,
          `Container ${name} runs as a Windows HostProcess.`,
        ),
      );
    }
    asArray(asRecord(context.capabilities)?.add).forEach((capability, index) => {
      const normalized = normalizeCapability(capability);
      if (!baselineCapabilities.has(normalized)) {
        findings.push(
          makeFinding(
            "pss.capabilities-added",
            object,
            `${contextPath}.capabilities.add[${index}]`,
            `Container ${name} adds capability ${normalized}.`,
          ),
        );
      }
    });
    if (context.procMount !== undefined && context.procMount !== "Default") {
      findings.push(
        makeFinding(
          "pss.proc-mount",
          object,
          `${contextPath}.procMount`,
          `Container ${name} sets procMount: ${describeValue(context.procMount)}.`,
        ),
      );
    }
    checkSharedContextFields(context, contextPath, `Container ${name}`, pod, findings);
    asArray(location.container.ports).forEach((item, index) => {
      const hostPort = asRecord(item)?.hostPort;
      if (typeof hostPort === "number" && hostPort !== 0) {
        findings.push(
          makeFinding(
            "pss.host-port",
            object,
            `${location.path}.ports[${index}].hostPort`,
            `Container ${name} binds host port ${hostPort}.`,
          ),
        );
      }
    });
  }
  return findings;
}

/** Fields allowed both on the pod's and on a container's securityContext. */
function checkSharedContextFields(
  context: Record<string, unknown>,
  contextPath: string,
  subject: string,
  pod: PodSpecLocation,
  findings: SecurityFinding[],
): void {
  if (asRecord(context.seccompProfile)?.type === "Unconfined") {
    findings.push(
      makeFinding(
        "pss.seccomp-unconfined",
        pod.object,
        `${contextPath}.seccompProfile.type`,
        `${subject} disables seccomp (Unconfined).`,
      ),
    );
  }
  if (asRecord(context.appArmorProfile)?.type === "Unconfined") {
    findings.push(
      makeFinding(
        "pss.apparmor-unconfined",
        pod.object,
        `${contextPath}.appArmorProfile.type`,
        `${subject} disables AppArmor (Unconfined).`,
      ),
    );
  }
  const seLinux = asRecord(context.seLinuxOptions);
  if (seLinux) {
    if (typeof seLinux.type === "string" && !allowedSeLinuxTypes.has(seLinux.type)) {
      findings.push(
        makeFinding(
          "pss.selinux-options",
          pod.object,
          `${contextPath}.seLinuxOptions.type`,
          `${subject} uses SELinux type ${seLinux.type}.`,
        ),
      );
    }
    for (const field of ["user", "role"] as const) {
      if (typeof seLinux[field] === "string" && seLinux[field] !== "") {
        findings.push(
          makeFinding(
            "pss.selinux-options",
            pod.object,
            `${contextPath}.seLinuxOptions.${field}`,
            `${subject} sets a custom SELinux ${field}.`,
          ),
        );
      }
    }
  }
}

export function normalizeCapability(capability: unknown): string {
  const text = describeValue(capability).toUpperCase();
  return text.startsWith("CAP_") ? text.slice(4) : text;
}

function isWithin(candidate: string, directory: string): boolean {
  const trimmed = candidate.replace(/\/+$/, "");
  return trimmed === directory || trimmed.startsWith(`${directory}/`);
}
