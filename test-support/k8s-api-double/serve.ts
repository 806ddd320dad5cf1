// Starts the Kubernetes API double as the demo's "sandbox cluster":
//   tsx test-support/k8s-api-double/serve.ts [--port 6443] [--kubeconfig .data/sandbox-kubeconfig.yaml]
//     [--workload-ready-ms 2000] [--velero-step-ms 3000] [--no-seed] [--state .data/sandbox-state.json]
// With --state (or SANDBOX_STATE), the objects are saved to that file after changes and loaded from it at start
// (then the demo seed is not applied again); without it the cluster starts fresh each time.
// A second double, the standby cluster (context "sandbox-standby"), shares the sandbox's Velero object storage as a
// cluster in another region shares the backup bucket: cluster_failure drills restore there. It starts empty but for
// Velero (its namespace and a BackupStorageLocation on the same bucket), and is not saved across restarts.
// Prints one JSON line when ready: {"ready":true,"url":...,"standbyUrl":...,"kubeconfig":...,"context":"sandbox",...}.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildKubeconfig, startKubernetesApiDouble } from "./kubernetes-api-double";
import { loadClusterState, persistOnChange, saveClusterState } from "./persisted-state";
import { seedDemoState, seedStandbyState, standbyContextName } from "./seed-demo-state";

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const port = Number(argument("port") ?? process.env.SANDBOX_K8S_PORT ?? 0);
  const kubeconfigPath = path.resolve(
    argument("kubeconfig") ?? process.env.SANDBOX_KUBECONFIG ?? ".data/sandbox-kubeconfig.yaml",
  );
  const double = await startKubernetesApiDouble({
    port,
    token: process.env.SANDBOX_K8S_TOKEN,
    contextName: "sandbox",
    // Slow enough that people see rollouts and Velero phases progress in the UI.
    timing: {
      workloadReadyAfterMs: Number(argument("workload-ready-ms") ?? 2000),
      veleroPhaseStepMs: Number(argument("velero-step-ms") ?? 3000),
    },
  });
  const standby = await startKubernetesApiDouble({
    port: Number(argument("standby-port") ?? process.env.SANDBOX_STANDBY_K8S_PORT ?? 0),
    contextName: standbyContextName,
    veleroStorage: double.veleroStorage,
    timing: {
      workloadReadyAfterMs: Number(argument("workload-ready-ms") ?? 2000),
      veleroPhaseStepMs: Number(argument("velero-step-ms") ?? 3000),
    },
  });
  seedStandbyState(standby);
  const stateArgument = argument("state") ?? process.env.SANDBOX_STATE;
  const stateFile = stateArgument ? path.resolve(stateArgument) : null;
  const saved = stateFile ? loadClusterState(stateFile) : null;
  if (saved) double.state.restore(saved);
  else if (!process.argv.includes("--no-seed")) seedDemoState(double, Date.now());
  if (stateFile && !saved) saveClusterState(stateFile, double.state);
  const persisted = stateFile ? persistOnChange(stateFile, double.state) : null;
  mkdirSync(path.dirname(kubeconfigPath), { recursive: true });
  writeFileSync(
    kubeconfigPath,
    buildKubeconfig([
      { url: double.url, token: double.token, contextName: double.contextName },
      { url: standby.url, token: standby.token, contextName: standby.contextName },
    ]),
    { mode: 0o600 },
  );
  console.log(
    JSON.stringify({
      ready: true,
      url: double.url,
      standbyUrl: standby.url,
      kubeconfig: kubeconfigPath,
      context: double.contextName,
      credentialRef: `kubeconfig-context:${double.contextName}`,
    }),
  );
  const stop = () => {
    persisted?.flush();
    void Promise.all([double.close(), standby.close()]).then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(`sandbox cluster failed to start: ${(error as Error).message}`);
  process.exit(1);
});
