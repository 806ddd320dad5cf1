// The committed deploy/ folder is the generator's output, valid, and passes the portal's own security report.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as apps from "kubernetes-models/apps/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as batch from "kubernetes-models/batch/v1";
import * as core from "kubernetes-models/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as rbac from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as externalSecrets from "@kubernetes-models/external-secrets/external-secrets.io/v1";
import type { KubernetesObject } from "@/lib/k8s/types";
import { checkManifests } from "@/lib/security/check-manifests";
import { parseManifestsYaml } from "@/lib/security/parse-manifests";
import { parseEnv } from "@/lib/config/env";
import { loadOfficialCrdValidators, officialErrors } from "@/lib/plans/official-crd-validator.test-support";
import { generatePortalManifests, portalBaseObjects } from "./generate-portal-manifests";
import { regenerateCommand, renderPortalManifestFiles } from "./render-portal-manifests";

const repoRoot = path.resolve(__dirname, "../..");
const deployRoot = path.join(repoRoot, "deploy");
const manifests = generatePortalManifests();
const files = renderPortalManifestFiles(manifests);
const base = portalBaseObjects(manifests);
const serviceMonitors = manifests.serviceMonitor.flatMap((f) => f.objects);

// Tests reach deep into generated objects; a loose type keeps them readable.
type Json = Record<string, any>;
const find = (kind: string, name?: string) => base.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name)) as Json;

function committedFiles(): Record<string, string> {
  // The generator owns base/, components/ and README.md; overlays beside them are the users' own.
  const entries = fs.readdirSync(deployRoot, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  const relativeFiles = entries
    .map((e) => path.relative(deployRoot, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((relative) => relative === "README.md" || relative.startsWith("base/") || relative.startsWith("components/"));
  return Object.fromEntries(relativeFiles.map((relative) => [relative, fs.readFileSync(path.join(deployRoot, relative), "utf8")]));
}

describe("committed deploy/ manifests", () => {
  it("are exactly the generator's output", () => {
    const committed = committedFiles();
    const hint = `deploy/ differs from the generator: run \`${regenerateCommand}\` and commit the result`;
    expect(Object.keys(committed).sort(), hint).toEqual(Object.keys(files).sort());
    for (const [relative, content] of Object.entries(files)) expect(committed[relative], `${hint} (${relative})`).toBe(content);
  });

  it("parse back (through the scan parser) to the generated objects", () => {
    const yamlFiles = Object.entries(files).filter(([name]) => name.endsWith(".yaml") && !name.endsWith("kustomization.yaml"));
    const parsed = parseManifestsYaml(yamlFiles.map(([, text]) => text).join("---\n"));
    expect(parsed).toEqual({ ok: true, objects: [...base, ...serviceMonitors] });
  });

  it("list every base file in kustomization.yaml", () => {
    const resources = parse(files["base/kustomization.yaml"]!).resources as string[];
    expect([...resources].sort()).toEqual(manifests.base.map((f) => f.path.replace("base/", "")).sort());
  });
});

describe("schema validation", () => {
  const models: Record<string, new (data: any) => { validate(): void }> = {
    "v1/Namespace": core.Namespace, "v1/ServiceAccount": core.ServiceAccount, "v1/ConfigMap": core.ConfigMap, "v1/Service": core.Service,
    "apps/v1/Deployment": apps.Deployment, "batch/v1/Job": batch.Job, "autoscaling/v2/HorizontalPodAutoscaler": autoscaling.HorizontalPodAutoscaler,
    "policy/v1/PodDisruptionBudget": policy.PodDisruptionBudget, "networking.k8s.io/v1/NetworkPolicy": networking.NetworkPolicy,
    "rbac.authorization.k8s.io/v1/ClusterRole": rbac.ClusterRole, "rbac.authorization.k8s.io/v1/ClusterRoleBinding": rbac.ClusterRoleBinding,
    "external-secrets.io/v1/ExternalSecret": externalSecrets.ExternalSecret,
  };

  it.each(base.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))("%s validates with kubernetes-models", (_, object) => {
    const Model = models[`${object.apiVersion}/${object.kind}`];
    expect(Model, `no model registered for ${object.apiVersion} ${object.kind}`).toBeDefined();
    expect(() => new Model!(object).validate()).not.toThrow();
  });

  // Compiling every official CRD takes seconds, more on a busy machine.
  it("the ExternalSecret validates against the official CRD in ../shared/schemas/crds, with no field the API server would drop", { timeout: 120_000 }, async () => {
    const crds = loadOfficialCrdValidators();
    const externalSecret = find("ExternalSecret") as KubernetesObject;
    expect(crds.has("external-secrets.io/v1/ExternalSecret")).toBe(true);
    expect(await officialErrors(externalSecret, crds)).toEqual([]);
    const misspelt = { ...structuredClone(externalSecret), spec: { ...(externalSecret.spec as Json), refreshintervall: "1h" } };
    expect(await officialErrors(misspelt, crds)).not.toEqual([]);
  });

  it("the validator itself rejects a broken object (so the test above can fail)", () => {
    const broken = structuredClone(find("Deployment", "ml-portal-web"));
    broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(() => new apps.Deployment(broken).validate()).toThrow();
  });

  it("ServiceMonitors (no model package exists) select existing Services by a port name those Services expose", () => {
    const services = base.filter((o) => o.kind === "Service") as Json[];
    for (const monitor of serviceMonitors as Json[]) {
      expect(monitor.apiVersion).toBe("monitoring.coreos.com/v1");
      const selected = services.filter((s) => Object.entries(monitor.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels[k] === v));
      expect(selected).toHaveLength(1);
      expect(selected[0]!.spec.ports.map((p: Json) => p.name)).toContain(monitor.spec.endpoints[0].port);
    }
  });
});

describe("security", () => {
  const report = checkManifests([...base, ...serviceMonitors]);

  it("has no critical, high or medium findings", () => {
    expect(report.findings.filter((f) => ["critical", "high", "medium"].includes(f.severity))).toEqual([]);
  });

  it("reports only what is deliberate: tag-pinned images (pin a digest in an overlay), egress by port, the worker's token, the applier creating workloads", () => {
    expect(report.findings.map((f) => `${f.check} ${f.object.kind}/${f.object.name}`).sort()).toEqual([
      "images.tag-without-digest Deployment/ml-portal-web",
      "images.tag-without-digest Deployment/ml-portal-worker",
      "images.tag-without-digest Job/ml-portal-migrate-0-1-0",
      // Egress by port to any address (managed databases and API servers move); postgres.cidr narrows the first.
      "netpol.egress-to-any-address NetworkPolicy/ml-portal-https-and-kubernetes-api-egress",
      "netpol.egress-to-any-address NetworkPolicy/ml-portal-postgres-egress",
      // pods, the apps workloads, and batch jobs: one finding per rule
      "rbac.workload-creation ClusterRole/ml-portal-applier",
      "rbac.workload-creation ClusterRole/ml-portal-applier",
      "rbac.workload-creation ClusterRole/ml-portal-applier",
      "sa.automount-token-explicit Deployment/ml-portal-worker",
    ]);
    expect(report.findings.filter((f) => f.check === "rbac.workload-creation").every((f) => f.severity === "info" && f.message.includes("Accepted (was high)"))).toBe(true);
  });

  it("uses no wildcard and no escalate, bind or impersonate in RBAC", () => {
    const rules = (find("ClusterRole").rules as Json[]);
    const values = rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs]);
    expect(values).not.toContain("*");
    expect(values.filter((v: string) => ["escalate", "bind", "impersonate"].includes(v))).toEqual([]);
    expect(JSON.stringify(base)).not.toMatch(/"\*"/);
  });

  it.each(["Deployment", "Job"])("every %s container has a read-only root filesystem and writes only to emptyDirs", (kind) => {
    for (const workload of base.filter((o) => o.kind === kind) as Json[]) {
      const pod = workload.spec.template.spec;
      for (const container of pod.containers) {
        expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
        const emptyDirs = pod.volumes.filter((v: Json) => v.emptyDir).map((v: Json) => v.name);
        for (const mount of container.volumeMounts) expect(emptyDirs).toContain(mount.name);
        expect(container.volumeMounts.map((m: Json) => m.mountPath)).toContain("/tmp");
      }
    }
  });
});

describe("wiring", () => {
  it("probes web liveness on /api/healthz and readiness on /api/readyz through the port the Service targets", () => {
    const container = find("Deployment", "ml-portal-web").spec.template.spec.containers[0];
    const service = find("Service", "ml-portal-web");
    expect(container.livenessProbe.httpGet).toEqual({ path: "/api/healthz", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/api/readyz", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(service.spec.ports).toEqual([{ name: "http", port: 3000, targetPort: "http", protocol: "TCP" }]);
    expect(service.spec.selector).toEqual(find("Deployment", "ml-portal-web").spec.selector.matchLabels);
  });

  it("runs web, worker and migrations as separate commands of one image", () => {
    const command = (kind: string, name: string) => find(kind, name).spec.template.spec.containers[0];
    expect(command("Deployment", "ml-portal-web").command).toEqual(["node", "server.js"]);
    expect(command("Deployment", "ml-portal-worker").command).toEqual(["node", "worker.mjs"]);
    expect(command("Job", "ml-portal-migrate-0-1-0").command).toEqual(["node", "migrate.mjs"]);
    expect(new Set(base.filter((o) => o.kind === "Deployment" || o.kind === "Job").map((o) => (o as Json).spec.template.spec.containers[0].image)).size).toBe(1);
  });

  it("lets the HPA own web replicas and keeps one pod of each Deployment through disruptions", () => {
    const hpa = find("HorizontalPodAutoscaler");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "ml-portal-web" });
    expect(find("Deployment", "ml-portal-web").spec.replicas).toBeUndefined();
    const budgets = base.filter((o) => o.kind === "PodDisruptionBudget") as Json[];
    expect(budgets.map((b) => b.spec.selector.matchLabels["app.kubernetes.io/component"]).sort()).toEqual(["web", "worker"]);
  });

  it("denies all traffic by default and allows DNS, PostgreSQL and the Kubernetes API", () => {
    const policies = base.filter((o) => o.kind === "NetworkPolicy") as Json[];
    expect(policies.some((p) => Object.keys(p.spec.podSelector).length === 0 && p.spec.policyTypes.length === 2 && !p.spec.ingress && !p.spec.egress)).toBe(true);
    const egressPorts = policies.flatMap((p) => (p.spec.egress ?? []).flatMap((e: Json) => e.ports.map((port: Json) => `${port.protocol}/${port.port}`)));
    expect(egressPorts.sort()).toEqual(["TCP/443", "TCP/53", "TCP/5432", "TCP/6443", "UDP/53"]);
    const ingressPorts = policies.flatMap((p) => (p.spec.ingress ?? []).flatMap((i: Json) => i.ports.map((port: Json) => port.port)));
    expect(ingressPorts.sort()).toEqual([3000, 9464]);
  });

  it.each(["ml-portal-web", "ml-portal-worker"])("gives %s every setting the start-up validation requires in production", (name) => {
    const container = find("Deployment", name).spec.template.spec.containers[0];
    const configMap = find("ConfigMap").data as Record<string, string>;
    expect(container.envFrom).toEqual([{ configMapRef: { name: find("ConfigMap").metadata.name } }]);
    // Stand-ins for the Secret's values, in the form the validation expects.
    const secretValues: Record<string, string> = { DATABASE_URL: "postgresql://portal@db:5432/portal", NEXTAUTH_SECRET: "x".repeat(40), METRICS_TOKEN: "0123456789abcdef".repeat(4) };
    const env: Record<string, string> = { ...configMap };
    for (const variable of container.env as Json[]) env[variable.name] = variable.value ?? secretValues[variable.valueFrom.secretKeyRef.key];
    expect(env.NODE_ENV).toBe("production");
    expect(parseEnv(env)).toMatchObject({ ok: true });
  });

  it("feeds secrets from the ExternalSecret's target into the pods", () => {
    const target = find("ExternalSecret").spec.target.name;
    const env = find("Deployment", "ml-portal-web").spec.template.spec.containers[0].env as Json[];
    const fromSecret = env.filter((e) => e.valueFrom).map((e) => `${e.valueFrom.secretKeyRef.name}/${e.name}`);
    expect(fromSecret).toEqual([`${target}/DATABASE_URL`, `${target}/NEXTAUTH_SECRET`, `${target}/METRICS_TOKEN`]);
    expect(find("ExternalSecret").spec.data.map((d: Json) => d.secretKey)).toEqual(["DATABASE_URL", "NEXTAUTH_SECRET", "METRICS_TOKEN"]);
  });

  it("gives the web, and only the web, METRICS_TOKEN as an optional key: without it the web starts and hides the team metrics", () => {
    const token = (name: string) => (find("Deployment", name).spec.template.spec.containers[0].env as Json[]).find((e) => e.name === "METRICS_TOKEN");
    expect(token("ml-portal-web")?.valueFrom.secretKeyRef).toEqual({ name: "ml-portal-secrets", key: "METRICS_TOKEN", optional: true });
    expect(token("ml-portal-worker")).toBeUndefined();
    const required = (find("Deployment", "ml-portal-web").spec.template.spec.containers[0].env as Json[]).filter((e) => e.valueFrom && !e.valueFrom.secretKeyRef.optional);
    expect(required.map((e) => e.name)).toEqual(["DATABASE_URL", "NEXTAUTH_SECRET"]);
  });

  it("has the web's ServiceMonitor send, as a bearer token, the Secret key the web reads METRICS_TOKEN from; the worker's needs none", () => {
    const webToken = (find("Deployment", "ml-portal-web").spec.template.spec.containers[0].env as Json[]).find((e) => e.name === "METRICS_TOKEN")!;
    const endpoint = (name: string) => (serviceMonitors as Json[]).find((m) => m.metadata.name === name)!.spec.endpoints[0];
    const { optional: _, ...reference } = webToken.valueFrom.secretKeyRef;
    expect(endpoint("ml-portal-web").authorization).toEqual({ type: "Bearer", credentials: reference });
    expect(endpoint("ml-portal-worker").authorization).toBeUndefined();
  });
});

describe("options", () => {
  it("rejects maxReplicas below minReplicas, naming the field and the fix", () => {
    expect(() => generatePortalManifests({ web: { minReplicas: 5, maxReplicas: 3 } })).toThrow(/web.maxReplicas is below web.minReplicas: raise maxReplicas or lower minReplicas/);
  });

  it("uses an existing Secret instead of an ExternalSecret when asked", () => {
    const objects = portalBaseObjects(generatePortalManifests({ secrets: { source: "existing-secret" }, secretName: "portal-db" }));
    expect(objects.map((o) => o.kind)).not.toContain("ExternalSecret");
    expect(JSON.stringify(objects)).toContain('"secretKeyRef":{"name":"portal-db"');
  });

  it("restricts PostgreSQL egress to a CIDR when given", () => {
    const objects = portalBaseObjects(generatePortalManifests({ postgres: { cidr: "10.20.0.0/16" } })) as Json[];
    const egress = objects.find((o) => o.metadata.name === "ml-portal-postgres-egress")!.spec.egress[0];
    expect(egress).toEqual({ to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] });
  });

  it("names the migration Job after the version, since a Job's template is immutable", () => {
    const objects = portalBaseObjects(generatePortalManifests({ version: "1.2.0" }));
    expect(objects.filter((o) => o.kind === "Job").map((o) => o.metadata.name)).toEqual(["ml-portal-migrate-1-2-0"]);
  });
});
