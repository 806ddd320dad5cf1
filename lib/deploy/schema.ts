// Options of the portal's own deployment manifests (deploy/): one schema for the CLI and the tests.
import { z } from "zod";
import { DNS1123_LABEL_MAX_LENGTH, dns1123LabelPattern } from "@/lib/k8s/names";

const dns1123Label = z
  .string()
  .max(DNS1123_LABEL_MAX_LENGTH)
  .regex(dns1123LabelPattern, "must be a DNS-1123 label (lowercase letters, digits and '-'), e.g. ml-portal");

const port = z.number().int().min(1).max(65535);

const externalSecretSource = z.object({
  source: z.literal("external-secret"),
  /** The store platform teams already run (the portal does not create it). */
  storeKind: z.enum(["ClusterSecretStore", "SecretStore"]).default("ClusterSecretStore"),
  storeName: dns1123Label.default("platform-secrets"),
  /** Remote keys are <prefix>/database-url, <prefix>/nextauth-secret and <prefix>/metrics-token. */
  remoteKeyPrefix: z.string().min(1).default("ml-portal"),
});

const existingSecretSource = z.object({ source: z.literal("existing-secret") });

export const portalManifestOptionsSchema = z
  .object({
    name: dns1123Label.default("ml-portal"),
    namespace: dns1123Label.default("ml-portal"),
    image: z.string().min(1).default("registry.example.com/platform/ml-portal:0.1.0"),
    /** Goes into labels and into the migration Job's name (a Job's pod template cannot change once created). */
    version: z.string().regex(/^[0-9a-z.-]+$/, "use lowercase letters, digits, '.' and '-', e.g. 0.1.0").default("0.1.0"),
    publicUrl: z.string().url().default("https://ml-portal.example.com"),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    databasePoolSize: z.number().int().min(1).max(100).default(10),
    web: z
      .object({
        minReplicas: z.number().int().min(1).default(2),
        maxReplicas: z.number().int().min(1).max(100).default(10),
        targetCpuUtilization: z.number().int().min(10).max(100).default(70),
      })
      .prefault({})
      .refine((web) => web.minReplicas <= web.maxReplicas, {
        path: ["maxReplicas"],
        message: "web.maxReplicas is below web.minReplicas: raise maxReplicas or lower minReplicas",
      }),
    worker: z
      .object({
        replicas: z.number().int().min(1).max(100).default(2),
        concurrency: z.number().int().min(1).max(32).default(2),
        metricsPort: port.default(9464),
        /** Time a worker gets after SIGTERM to finish or release its job. */
        terminationGracePeriodSeconds: z.number().int().min(10).max(3600).default(120),
      })
      .prefault({}),
    ingressNamespace: dns1123Label.default("ingress-nginx"),
    monitoringNamespace: dns1123Label.default("monitoring"),
    postgres: z
      .object({
        /** Where PostgreSQL lives; unset allows port 5432 to any address (managed databases change IPs). */
        cidr: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "must be an IPv4 CIDR, e.g. 10.0.0.0/16").optional(),
        port: port.default(5432),
      })
      .prefault({}),
    kubernetesApiPorts: z.array(port).min(1).default([443, 6443]),
    secretName: dns1123Label.default("ml-portal-secrets"),
    secrets: z.discriminatedUnion("source", [externalSecretSource, existingSecretSource]).prefault({ source: "external-secret" }),
  })
  .prefault({});

export type PortalManifestOptions = z.output<typeof portalManifestOptionsSchema>;
export type PortalManifestOptionsInput = z.input<typeof portalManifestOptionsSchema>;
