import "server-only";
import {
  injectedFailure,
  mappedNamespace,
  pollUntilDone,
  type Action,
  type ActionContext,
  type ActionResult,
} from "./action-context.server";
import type { KubeObject } from "./dr-kubernetes.server";
import {
  brokenPodOf,
  chooseRollbackTarget,
  countReadyPods,
  expectedReplicas,
  podsCreatedSince,
  podsWithoutImage,
  readCondition,
  readRolloutStatus,
  revisionAnnotation,
  runsTemplate,
} from "./kube-readers";
import type { ActionOutput, DeploymentState, FailureEvidence } from "./step-record";

// Steps that act on workloads: inject a failure, scale, roll back, roll forward, wait for pods, remove scratch
// namespaces. Changes go through strategic merge patches of the fields concerned (never a whole-object PUT that a
// concurrent writer turns into a 409), and rollouts are judged by their conditions.

type Of<T extends Action["type"]> = Extract<Action, { type: T }>;
type Obj = Record<string, unknown>;

const deploymentRef = (namespace: string, name: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace },
});
const selectorOf = (d: KubeObject) =>
  Object.entries((d.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
const revisionOf = (d: KubeObject | null) => Number(d?.metadata?.annotations?.[revisionAnnotation] ?? 0);

/**
 * An autoscaler that keeps the Deployment above `replicas` would undo the scale at its next sync (the drill would
 * fight it): name it instead. KEDA ScaledObjects drive the same HPA, so reading HPAs covers both.
 */
async function autoscalerAgainst(
  ctx: ActionContext,
  namespace: string,
  deployment: string,
  replicas: number,
): Promise<string | null> {
  let hpas: KubeObject[];
  try {
    hpas = await ctx.kube.list("autoscaling/v2", "HorizontalPodAutoscaler", namespace);
  } catch {
    return null;
  }
  for (const hpa of hpas) {
    const spec = (hpa.spec ?? {}) as { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number };
    const min = spec.minReplicas ?? 1;
    if (spec.scaleTargetRef?.kind === "Deployment" && spec.scaleTargetRef.name === deployment && min > replicas) {
      return `HorizontalPodAutoscaler ${namespace}/${hpa.metadata?.name} keeps ${deployment} at ${min} or more replicas and would undo scaling it to ${replicas}: drill with a plan that pauses or removes the autoscaler first`;
    }
  }
  return null;
}

/** Waits for a Deployment's rollout; a paused Deployment or an exceeded progress deadline fails at once. */
export function waitForRollout(
  ctx: ActionContext,
  namespace: string,
  name: string,
  output: ActionOutput,
): Promise<ActionResult> {
  return pollUntilDone(ctx, `rollout of ${namespace}/${name}`, async () => {
    const r = readRolloutStatus(await ctx.kube.read("apps/v1", "Deployment", namespace, name));
    if (r.done) return { done: true, output };
    return r.failed
      ? { done: true, output, error: `rollout of ${namespace}/${name} cannot finish: ${r.message}` }
      : { done: false, output, progress: r.message };
  });
}

export async function scale(action: Of<"scale">, ctx: ActionContext): Promise<ActionResult> {
  const deployment = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
  if (!deployment)
    return { ok: false, output: {}, error: `deployment ${action.namespace}/${action.deployment} does not exist` };
  const previous = ctx.resumed.scale?.previousReplicas ?? Number(deployment.spec?.replicas ?? 1);
  const output = {
    scale: {
      deployment: action.deployment,
      namespace: action.namespace,
      previousReplicas: previous,
      replicas: action.replicas,
    },
  };
  const fights = await autoscalerAgainst(ctx, action.namespace, action.deployment, action.replicas);
  if (fights) return { ok: false, output, error: fights };
  if (ctx.mode === "dry_run") return { ok: true, output, note: `currently ${previous} replicas` };
  await ctx.record(output);
  if (Number(deployment.spec?.replicas ?? 1) !== action.replicas)
    await ctx.kube.patch({
      ...deploymentRef(action.namespace, action.deployment),
      spec: { replicas: action.replicas },
    });
  return waitForRollout(ctx, action.namespace, action.deployment, output);
}

/** Replaces the pod template exactly (`$patch: replace`), as `kubectl rollout undo` does. */
const putTemplate = (ctx: ActionContext, namespace: string, name: string, template: Obj) =>
  ctx.kube.patch({ ...deploymentRef(namespace, name), spec: { template: { $patch: "replace", ...template } } });

export async function rolloutUndo(action: Of<"rollout_undo">, ctx: ActionContext): Promise<ActionResult> {
  const deployment = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
  if (!deployment)
    return { ok: false, output: {}, error: `deployment ${action.namespace}/${action.deployment} does not exist` };
  let rollout = ctx.resumed.rollout;
  let template: Obj | undefined;
  // A dry run after a (dry) corrupt-model step: live, the undo starts from the corrupt revision and returns to the
  // one running now, not to the one before it.
  const injected =
    ctx.mode === "dry_run" && action.toRevision === undefined
      ? ctx.previous
          .map((o) => o.wouldRollOut)
          .find((w) => w && w.namespace === action.namespace && w.deployment === action.deployment)
      : undefined;
  if (!rollout && injected) {
    const sets = await ctx.kube.list("apps/v1", "ReplicaSet", action.namespace);
    const uid = deployment.metadata?.uid;
    const current = sets.find(
      (rs) =>
        (rs.metadata?.ownerReferences ?? []).some((r) => r.uid === uid) &&
        Number(rs.metadata?.annotations?.[revisionAnnotation] ?? 0) === injected.previousRevision,
    );
    return {
      ok: true,
      output: {
        rollout: {
          deployment: action.deployment,
          namespace: action.namespace,
          fromRevision: injected.revision,
          toRevision: injected.previousRevision,
          targetReplicaSet: current?.metadata?.name ?? "",
          targetCreatedAt: current?.metadata?.creationTimestamp
            ? new Date(current.metadata.creationTimestamp).toISOString()
            : null,
        },
      },
      note: `would roll back from revision ${injected.revision} to ${injected.previousRevision}`,
    };
  }
  if (!rollout) {
    const sets = await ctx.kube.list("apps/v1", "ReplicaSet", action.namespace);
    const chosen = chooseRollbackTarget(deployment, sets, action.toRevision);
    if (!chosen.ok) return { ok: false, output: {}, error: chosen.reason };
    const t = chosen.target;
    rollout = {
      deployment: action.deployment,
      namespace: action.namespace,
      fromRevision: t.fromRevision,
      toRevision: t.toRevision,
      targetReplicaSet: t.replicaSetName,
      targetCreatedAt: t.createdAt,
    };
    template = t.template;
    if (ctx.mode === "dry_run")
      return {
        ok: true,
        output: { rollout },
        note: `would roll back from revision ${t.fromRevision} to ${t.toRevision}`,
      };
    // Record the intent before acting: a resumed attempt must not undo a second time (that would flip back).
    await ctx.record({ rollout });
  } else {
    const rs = await ctx.kube.read("apps/v1", "ReplicaSet", action.namespace, rollout.targetReplicaSet);
    if (!rs)
      return {
        ok: false,
        output: { rollout },
        error: `ReplicaSet ${rollout.targetReplicaSet} disappeared while resuming the rollback`,
      };
    template = structuredClone((rs.spec as { template: Obj }).template);
    delete ((template.metadata ?? {}) as { labels?: Record<string, string> }).labels?.["pod-template-hash"];
  }
  if (!runsTemplate(deployment, template!)) await putTemplate(ctx, action.namespace, action.deployment, template!);
  return waitForRollout(ctx, action.namespace, action.deployment, { rollout });
}

export async function injectFailure(action: Of<"inject_failure">, ctx: ActionContext): Promise<ActionResult> {
  const f = action.failure;
  const dry = ctx.mode === "dry_run";
  let failure: FailureEvidence | undefined = ctx.resumed.failure;
  if (f.kind === "delete_namespace") {
    if (!failure) {
      const ns = await ctx.kube.read("v1", "Namespace", undefined, f.namespace);
      if (!ns)
        return {
          ok: false,
          output: {},
          error: `namespace ${f.namespace} does not exist on ${ctx.clusterName}: there is nothing to destroy`,
        };
      if (dry) return { ok: true, output: {}, note: `namespace ${f.namespace} exists and would be deleted` };
      failure = {
        kind: f.kind,
        namespace: f.namespace,
        cluster: ctx.clusterName,
        injectedAt: new Date(ctx.now()).toISOString(),
      };
      await ctx.record({ failure });
      await ctx.kube.remove("v1", "Namespace", undefined, f.namespace);
    }
    const injected = failure;
    return pollUntilDone(ctx, `deletion of namespace ${f.namespace}`, async () => {
      const ns = await ctx.kube.read("v1", "Namespace", undefined, f.namespace);
      if (!ns)
        return {
          done: true,
          output: {
            failure: {
              ...injected,
              confirmedAt: new Date(ctx.now()).toISOString(),
              observed: `namespace ${f.namespace} no longer exists`,
            },
          },
        };
      const finalizers = (ns.spec?.finalizers as string[] | undefined) ?? [];
      return {
        done: false,
        output: { failure: injected },
        progress: `namespace ${f.namespace} is ${(ns.status as { phase?: string } | undefined)?.phase ?? "still there"}${finalizers.length ? ` (finalizers: ${finalizers.join(", ")})` : ""}`,
      };
    });
  }
  const deployment = await ctx.kube.read("apps/v1", "Deployment", f.namespace, f.deployment);
  if (!deployment)
    return {
      ok: false,
      output: {},
      error: `deployment ${f.namespace}/${f.deployment} does not exist on ${ctx.clusterName}`,
    };
  const containers =
    (deployment.spec?.template as { spec?: { containers?: Array<{ name: string; image?: string }> } })?.spec
      ?.containers ?? [];
  if (f.kind === "scale_to_zero") {
    if (!failure) {
      const previousReplicas = Number(deployment.spec?.replicas ?? 1);
      const fights = await autoscalerAgainst(ctx, f.namespace, f.deployment, 0);
      if (fights) return { ok: false, output: {}, error: fights };
      if (dry)
        return { ok: true, output: {}, note: `would scale ${f.deployment} from ${previousReplicas} to 0 replicas` };
      failure = {
        kind: f.kind,
        namespace: f.namespace,
        deployment: f.deployment,
        cluster: ctx.clusterName,
        previousReplicas,
        injectedAt: new Date(ctx.now()).toISOString(),
      };
      await ctx.record({ failure });
      await ctx.kube.patch({ ...deploymentRef(f.namespace, f.deployment), spec: { replicas: 0 } });
    }
    const injected = failure;
    const selector = selectorOf(deployment);
    return pollUntilDone(ctx, `scale of ${f.namespace}/${f.deployment} to 0`, async () => {
      const pods = selector ? await ctx.kube.list("v1", "Pod", f.namespace, selector) : [];
      if (pods.length === 0)
        return {
          done: true,
          output: {
            failure: {
              ...injected,
              confirmedAt: new Date(ctx.now()).toISOString(),
              observed: `no pod matches ${selector} in ${f.namespace}`,
            },
          },
        };
      return {
        done: false,
        output: { failure: injected },
        progress: `${pods.length} pods of ${f.deployment} still exist`,
      };
    });
  }
  const container = f.container ? containers.find((c) => c.name === f.container) : containers[0];
  if (!container)
    return {
      ok: false,
      output: {},
      error: `deployment ${f.namespace}/${f.deployment} has no container ${f.container ?? ""}`.trim(),
    };
  if (!failure) {
    if (container.image === f.image)
      return {
        ok: false,
        output: {},
        error: `deployment ${f.namespace}/${f.deployment} already runs ${f.image}: pick a model reference it does not run`,
      };
    if (dry) {
      const previousRevision = revisionOf(deployment);
      return {
        ok: true,
        output: {
          // Kubernetes numbers a new template one past the highest revision; the undo then starts from it.
          wouldRollOut: {
            namespace: f.namespace,
            deployment: f.deployment,
            revision: previousRevision + 1,
            previousRevision,
          },
        },
        note: `would replace ${container.image} with ${f.image} in container ${container.name} (revision ${previousRevision + 1})`,
      };
    }
    failure = {
      kind: f.kind,
      namespace: f.namespace,
      deployment: f.deployment,
      cluster: ctx.clusterName,
      container: container.name,
      previousImage: container.image,
      image: f.image,
      previousRevision: revisionOf(deployment),
      injectedAt: new Date(ctx.now()).toISOString(),
    };
    await ctx.record({ failure });
    await ctx.kube.patch({
      ...deploymentRef(f.namespace, f.deployment),
      spec: { template: { spec: { containers: [{ name: container.name, image: f.image }] } } },
    });
  }
  const injected = failure;
  const before = injected.previousRevision ?? 0;
  const selector = selectorOf(deployment);
  // A corrupt model reference never becomes Ready (an image that cannot be pulled, a server that crashes): the
  // failure is confirmed once the corrupt revision exists and shows it cannot serve, not when its rollout is done.
  return pollUntilDone(ctx, `roll-out of the corrupt model on ${f.namespace}/${f.deployment}`, async () => {
    const d = await ctx.kube.read("apps/v1", "Deployment", f.namespace, f.deployment);
    const revision = revisionOf(d);
    if (!d || revision <= before)
      return {
        done: false,
        output: { failure: injected },
        progress: `waiting for a new revision of ${f.deployment} with ${f.image}`,
      };
    const confirmed = (observed: string) => ({
      done: true as const,
      output: { failure: { ...injected, confirmedAt: new Date(ctx.now()).toISOString(), observed } },
    });
    const was = `was revision ${before} with ${injected.previousImage}`;
    const rollout = readRolloutStatus(d);
    const available = Number((d.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0);
    const serving = `${available} pod${available === 1 ? "" : "s"} of earlier revisions still available`;
    if (rollout.done) return confirmed(`revision ${revision} runs ${f.image} (${was})`);
    const progressing = readCondition(d, "Progressing");
    if (progressing.status === "False" && progressing.reason === "ProgressDeadlineExceeded")
      return confirmed(
        `revision ${revision} with ${f.image} cannot roll out: Progressing=False, ProgressDeadlineExceeded (${was}; ${serving})`,
      );
    const pods = selector ? await ctx.kube.list("v1", "Pod", f.namespace, selector) : [];
    const broken = brokenPodOf(pods, f.image);
    if (broken)
      return confirmed(
        `revision ${revision} with ${f.image} cannot serve: pod ${broken.pod} is waiting in ${broken.reason}${broken.message ? ` (${broken.message})` : ""} (${was}; ${serving})`,
      );
    return {
      done: false,
      output: { failure: injected },
      progress: `revision ${revision} with ${f.image} is rolling out: ${rollout.message}`,
    };
  });
}

const stateOf = (d: KubeObject | null): DeploymentState => ({
  revision: revisionOf(d),
  images: (
    (d?.spec?.template as { spec?: { containers?: Array<{ image?: string }> } } | undefined)?.spec?.containers ?? []
  ).map((c) => c.image ?? ""),
  replicas: Number(d?.spec?.replicas ?? 1),
});

/**
 * Puts back what this run changed on the Deployment: the replicas or image before the failure, or the undone
 * revision; the evidence is the revision, images and replicas before and after.
 */
export async function rollForward(action: Of<"roll_forward">, ctx: ActionContext): Promise<ActionResult> {
  const deployment = await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment);
  if (!deployment)
    return { ok: false, output: {}, error: `deployment ${action.namespace}/${action.deployment} does not exist` };
  const before = stateOf(deployment);
  const evidence = (undoing: string, after: DeploymentState): ActionOutput => ({
    rollForward: { deployment: action.deployment, namespace: action.namespace, undoing, before, after },
  });
  const settle = async (undoing: string, extra: ActionOutput = {}): Promise<ActionResult> => {
    const waited = await waitForRollout(ctx, action.namespace, action.deployment, extra);
    const after = stateOf(await ctx.kube.read("apps/v1", "Deployment", action.namespace, action.deployment));
    return { ...waited, output: { ...waited.output, ...evidence(undoing, after) } };
  };
  const mine = (o: { namespace: string; deployment?: string }) =>
    o.namespace === action.namespace && o.deployment === action.deployment;
  const first = ctx.previous
    .map((o) =>
      o.failure && mine(o.failure)
        ? { failure: o.failure }
        : o.wouldRollOut && mine(o.wouldRollOut)
          ? { wouldRollOut: o.wouldRollOut }
          : o.rollout && mine(o.rollout)
            ? { rollout: o.rollout }
            : o.scale && mine(o.scale)
              ? { scale: o.scale }
              : null,
    )
    .find(Boolean);
  if (!first)
    return {
      ok: true,
      output: evidence("nothing: this drill did not change it", before),
      note: `this drill did not change ${action.namespace}/${action.deployment}: nothing to put back`,
    };
  if (first.wouldRollOut) {
    // Dry run after a (dry) corrupt-model step: live, this puts back the image running now, if the undo did not.
    const image = stateOf(deployment).images.join(", ");
    return {
      ok: true,
      output: {},
      note: `would put image ${image} back unless the rollback already did (revision ${first.wouldRollOut.previousRevision})`,
    };
  }
  if (first.failure?.previousReplicas !== undefined || first.scale) {
    const replicas = first.failure?.previousReplicas ?? first.scale!.previousReplicas;
    const undoing = first.failure
      ? `${first.failure.kind} injected at ${first.failure.injectedAt}`
      : `scale to ${first.scale!.replicas}`;
    if (ctx.mode === "dry_run") return { ok: true, output: {}, note: `would scale back to ${replicas} replicas` };
    if (before.replicas !== replicas)
      await ctx.kube.patch({ ...deploymentRef(action.namespace, action.deployment), spec: { replicas } });
    return settle(undoing, {
      scale: {
        deployment: action.deployment,
        namespace: action.namespace,
        previousReplicas: before.replicas,
        replicas,
      },
    });
  }
  if (first.failure?.previousImage) {
    const containers =
      (deployment.spec?.template as { spec?: { containers?: Array<{ name: string; image?: string }> } })?.spec
        ?.containers ?? [];
    // corrupt_model changed one container: the first one unless the failure named another.
    const name = first.failure.container ?? containers[0]?.name;
    const wrong = containers.filter((c) => c.name === name && c.image !== first.failure!.previousImage);
    if (ctx.mode === "dry_run")
      return {
        ok: true,
        output: {},
        note: wrong.length
          ? `would put image ${first.failure.previousImage} back`
          : "already runs the image from before the drill",
      };
    if (wrong.length)
      await ctx.kube.patch({
        ...deploymentRef(action.namespace, action.deployment),
        spec: {
          template: { spec: { containers: wrong.map((c) => ({ name: c.name, image: first.failure!.previousImage })) } },
        },
      });
    return settle(
      `${first.failure.kind} injected at ${first.failure.injectedAt} (image ${first.failure.previousImage} before it)`,
    );
  }
  const rollout = first.rollout!;
  const undoing = `rollout undo from revision ${rollout.fromRevision} to ${rollout.toRevision}`;
  const sets = await ctx.kube.list("apps/v1", "ReplicaSet", action.namespace);
  const back = chooseRollbackTarget(deployment, sets, rollout.fromRevision);
  if (!back.ok) {
    if (revisionOf(deployment) === rollout.fromRevision)
      return { ok: true, output: evidence(undoing, before), note: `already runs revision ${rollout.fromRevision}` };
    return {
      ok: false,
      output: {},
      error: `cannot roll ${action.deployment} forward to revision ${rollout.fromRevision}: ${back.reason}`,
    };
  }
  if (ctx.mode === "dry_run")
    return { ok: true, output: {}, note: `would roll forward to the template of revision ${rollout.fromRevision}` };
  if (!runsTemplate(deployment, back.target.template))
    await putTemplate(ctx, action.namespace, action.deployment, back.target.template);
  return settle(undoing);
}

export async function waitPodsReady(action: Of<"wait_pods_ready">, ctx: ActionContext): Promise<ActionResult> {
  const namespace = mappedNamespace(ctx, action.namespace);
  const failure = injectedFailure(ctx);
  // Pods the failure destroyed prove a recovery only when new ones come up. A corrupt model destroys nothing: its
  // pods never become Ready while the earlier revision's keep serving, and an undo returns to those; only pods of
  // the corrupt image are left out.
  const corruptImage = ctx.mode === "live" && failure?.kind === "corrupt_model" ? failure.image : undefined;
  const since =
    failure && ctx.mode === "live" && failure.kind !== "corrupt_model" ? Date.parse(failure.injectedAt) : undefined;
  return pollUntilDone(ctx, `pods ${action.selector} in ${namespace}`, async () => {
    let expected = action.minReady;
    let expectedFrom = action.minReady !== undefined ? "minReady" : "";
    if (expected === undefined) {
      const e = expectedReplicas(await ctx.kube.list("apps/v1", "Deployment", namespace), action.selector);
      expected = e.expected;
      expectedFrom = e.from.length ? `replicas of ${e.from.join(", ")}` : "";
    }
    const all = await ctx.kube.list("v1", "Pod", namespace, action.selector);
    const counted = countReadyPods(corruptImage ? podsWithoutImage(all, corruptImage) : podsCreatedSince(all, since));
    const pods = {
      namespace,
      selector: action.selector,
      ...counted,
      expected,
      expectedFrom,
      ...(since !== undefined ? { createdAfter: failure!.injectedAt } : {}),
      ...(corruptImage ? { withoutImage: corruptImage } : {}),
    };
    // A dry run changes nothing, so it only reports what it reads now rather than passing on it.
    if (ctx.mode === "dry_run")
      return {
        done: true,
        output: { pods },
        note: `now ${counted.ready} of ${expectedFrom ? expected : "an unknown number of"} pods Ready in ${namespace}${expectedFrom ? ` (${expectedFrom})` : ": no Deployment there has pods matching the selector"}`,
      };
    if (!expectedFrom)
      return {
        done: false,
        output: { pods },
        progress: `no Deployment in ${namespace} has pods matching ${action.selector} yet (set minReady to wait for other pods)`,
      };
    const newer = since !== undefined ? ` created after the failure at ${failure!.injectedAt}` : "";
    return counted.ready >= expected && expected > 0
      ? { done: true, output: { pods } }
      : {
          done: false,
          output: { pods },
          progress: `${counted.ready} of ${expected} pods Ready${newer} (${expectedFrom})`,
        };
  });
}

export async function deleteScratchNamespace(
  action: Of<"delete_scratch_namespace">,
  ctx: ActionContext,
): Promise<ActionResult> {
  const exists = await ctx.kube.read("v1", "Namespace", undefined, action.namespace);
  if (ctx.mode === "dry_run")
    return {
      ok: true,
      output: {},
      note: exists
        ? `would delete scratch namespace ${action.namespace}`
        : `scratch namespace ${action.namespace} does not exist now`,
    };
  if (exists) await ctx.kube.remove("v1", "Namespace", undefined, action.namespace);
  return pollUntilDone(ctx, `deletion of scratch namespace ${action.namespace}`, async () => {
    const ns = await ctx.kube.read("v1", "Namespace", undefined, action.namespace);
    return ns
      ? {
          done: false,
          output: {},
          progress: `namespace ${action.namespace} is ${(ns.status as { phase?: string } | undefined)?.phase ?? "still there"}`,
        }
      : { done: true, output: {}, note: `scratch namespace ${action.namespace} is gone` };
  });
}
