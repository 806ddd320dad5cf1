// The double's storage: objects per resource, resourceVersions, uids, owner-reference garbage collection and
// the write paths the HTTP layer calls (apply, create, patch, replace, delete). No HTTP here.
import { randomUUID } from "node:crypto";
import { applyDefaults } from "./apply-defaults";
import { type DeletePreconditions, preconditionFailed } from "./delete-preconditions";
import { type StatusReply, badRequest, invalid, notFound, resourceLabel, statusReply } from "./api-status";
import { deepEqual, isPlainObject } from "./field-paths";
import { matchesLabelSelector } from "./label-selector";
import {
  type K8sObject,
  applyOwnership,
  conflictCauses,
  conflictMessage,
  ownedPart,
  updateOwnership,
} from "./managed-fields";
import {
  type ResourceDefinition,
  builtInResources,
  customResources,
  groupVersionOf,
  splitApiVersion,
} from "./resource-catalog";
import { validateObject } from "./validate-object";

export type WriteListener = (event: {
  type: "written" | "deleted";
  def: ResourceDefinition;
  object: K8sObject;
}) => void;
export interface WriteOptions {
  manager: string;
  dryRun: boolean;
}

const keyOf = (def: ResourceDefinition, namespace: string | undefined, name: string) =>
  `${def.group}|${def.plural}|${namespace ?? ""}|${name}`;

export interface ClusterSnapshot {
  version: 1;
  resourceVersion: number;
  objects: { key: string; object: K8sObject }[];
  disabled: string[];
  dynamic: ResourceDefinition[];
  stuckTerminating: string[];
}

export class ClusterState {
  private objects = new Map<string, K8sObject>();
  private disabled = new Set<string>();
  private dynamic: ResourceDefinition[] = [];
  private resourceVersion = 1000;
  private listeners: WriteListener[] = [];
  private ipCounter = 10;
  /** Namespaces whose deletion never finishes (a finalizer nobody removes): they stay Terminating. */
  readonly stuckTerminating = new Set<string>();

  constructor(readonly now: () => number) {}

  timestamp(ms = this.now()): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
  }
  onWrite(listener: WriteListener) {
    this.listeners.push(listener);
  }

  // ---- persistence (the sandbox keeps its objects across restarts: persisted-state.ts) ----
  /** Everything a restart must bring back: the objects, the served kinds, the resourceVersion counter. */
  snapshot(): ClusterSnapshot {
    return {
      version: 1,
      resourceVersion: this.resourceVersion,
      objects: [...this.objects].map(([key, object]) => ({ key, object: structuredClone(object) })),
      disabled: [...this.disabled],
      dynamic: structuredClone(this.dynamic),
      stuckTerminating: [...this.stuckTerminating],
    };
  }
  /** Replaces the state with a snapshot (no write events: nothing changed, the process restarted). */
  restore(snapshot: ClusterSnapshot) {
    this.objects = new Map(snapshot.objects.map((e) => [e.key, structuredClone(e.object)]));
    this.disabled = new Set(snapshot.disabled);
    this.dynamic = structuredClone(snapshot.dynamic);
    this.resourceVersion = Math.max(this.resourceVersion, snapshot.resourceVersion);
    this.stuckTerminating.clear();
    for (const name of snapshot.stuckTerminating) this.stuckTerminating.add(name);
  }

  // ---- catalog ----
  resources(): ResourceDefinition[] {
    return [...builtInResources, ...customResources, ...this.dynamic].filter(
      (d) => !this.disabled.has(`${groupVersionOf(d)}/${d.kind}`),
    );
  }
  /** Marks a CRD kind absent (or present again), as when its CRD is not installed. */
  setKindInstalled(apiVersion: string, kind: string, installed: boolean) {
    const key = `${apiVersion}/${kind}`;
    if (installed) this.disabled.delete(key);
    else this.disabled.add(key);
  }
  findByPlural(group: string, version: string, plural: string) {
    return this.resources().find((d) => d.group === group && d.version === version && d.plural === plural);
  }
  findByKind(apiVersion: string, kind: string) {
    const { group, version } = splitApiVersion(apiVersion);
    return this.resources().find((d) => d.group === group && d.version === version && d.kind === kind);
  }

  // ---- reads ----
  get(def: ResourceDefinition, namespace: string | undefined, name: string): K8sObject | undefined {
    const obj = this.objects.get(keyOf(def, def.namespaced ? namespace : undefined, name));
    return obj && structuredClone(obj);
  }
  list(def: ResourceDefinition, namespace?: string, labelSelector?: string | null): K8sObject[] {
    const prefix = `${def.group}|${def.plural}|`;
    return [...this.objects]
      .filter(([k, o]) => k.startsWith(prefix) && (!namespace || o.metadata.namespace === namespace))
      .filter(([, o]) => matchesLabelSelector(labelSelector, o.metadata.labels as Record<string, string>))
      .map(([, o]) => structuredClone(o));
  }
  currentResourceVersion() {
    return String(this.resourceVersion);
  }

  // ---- writes used by controllers and seeding (no validation, no ownership change) ----
  /** Stores an object as the system would (controllers, seeds); bumps resourceVersion only when it changes. */
  putSystemObject(object: K8sObject): K8sObject {
    const def = this.findByKind(String(object.apiVersion), String(object.kind));
    if (!def) throw new Error(`The double does not serve ${object.apiVersion} ${object.kind}`);
    const key = keyOf(def, object.metadata.namespace as string | undefined, String(object.metadata.name));
    const live = this.objects.get(key);
    const next = structuredClone(object);
    next.metadata = { ...next.metadata };
    next.metadata.uid ??= live?.metadata.uid ?? randomUUID();
    next.metadata.creationTimestamp ??= live?.metadata.creationTimestamp ?? this.timestamp();
    next.metadata.generation ??= live?.metadata.generation ?? 1;
    if (live) next.metadata.resourceVersion = live.metadata.resourceVersion;
    if (live && deepEqual(live, next)) return structuredClone(live);
    next.metadata.resourceVersion = String(++this.resourceVersion);
    this.objects.set(key, next);
    this.emit({ type: "written", def, object: next });
    return structuredClone(next);
  }

  // ---- API writes ----
  apply(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions & { force: boolean },
  ): StatusReply {
    const checked = this.checkBody(def, namespace, name, body);
    if ("error" in checked) return checked.error;
    const applied = checked.object;
    const live = this.objects.get(keyOf(def, namespace, name));
    if (!live) {
      const missingNs = this.missingNamespace(def, namespace);
      if (missingNs) return missingNs;
    }
    const outcome = applyOwnership({ live, applied, manager: opts.manager, force: opts.force, time: this.timestamp() });
    if (!outcome.ok) {
      return statusReply(409, "Conflict", conflictMessage(outcome.conflicts), {
        causes: conflictCauses(outcome.conflicts),
      });
    }
    return this.commit(def, live, outcome.object, opts.dryRun);
  }

  create(def: ResourceDefinition, namespace: string | undefined, body: unknown, opts: WriteOptions): StatusReply {
    if (!isPlainObject(body)) return badRequest("the body of the request was in an unknown format");
    const object = structuredClone(body) as K8sObject;
    // Like the API server, take the type from the URL when the body leaves it out.
    object.apiVersion ??= groupVersionOf(def);
    object.kind ??= def.kind;
    if (object.apiVersion !== groupVersionOf(def) || object.kind !== def.kind) {
      return badRequest(
        `the API version in the data (${object.apiVersion}) does not match the expected API version (${groupVersionOf(def)}) or the kind (${object.kind}) does not match (${def.kind})`,
      );
    }
    object.metadata = isPlainObject(object.metadata) ? object.metadata : {};
    if (def.namespaced) object.metadata.namespace = namespace;
    if (!object.metadata.name && typeof object.metadata.generateName === "string") {
      object.metadata.name = `${object.metadata.generateName}${randomUUID().slice(0, 5)}`;
    }
    const causes = validateObject(object, { requireName: true });
    if (causes.length > 0) return invalid(def, String(object.metadata.name ?? ""), causes);
    const name = String(object.metadata.name);
    if (this.objects.has(keyOf(def, namespace, name))) {
      return statusReply(409, "AlreadyExists", `${resourceLabel(def)} "${name}" already exists`, {
        name,
        group: def.group,
        kind: def.plural,
      });
    }
    const missingNs = this.missingNamespace(def, namespace);
    if (missingNs) return missingNs;
    const owned = updateOwnership({ live: undefined, next: object, manager: opts.manager, time: this.timestamp() });
    return this.commit(def, undefined, owned, opts.dryRun);
  }

  /** PATCH (non-apply) and PUT: `change` turns the live object into the next one. */
  update(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    change: (live: K8sObject) => unknown,
    opts: WriteOptions & { subresource?: "status" },
  ): StatusReply {
    const live = this.objects.get(keyOf(def, namespace, name));
    if (!live) return notFound(def, name);
    let next: K8sObject;
    try {
      next = change(structuredClone(live)) as K8sObject;
    } catch (error) {
      return statusReply(
        422,
        "Invalid",
        `the server rejected our request due to an error in our request: ${(error as Error).message}`,
      );
    }
    if (!isPlainObject(next) || !isPlainObject(next.metadata))
      return badRequest("the patch produced an object without metadata");
    if (opts.subresource === "status") next = { ...structuredClone(live), status: next.status };
    else next.status = live.status;
    next.metadata = { ...next.metadata, name, namespace: live.metadata.namespace, uid: live.metadata.uid };
    const causes = validateObject(next, { requireName: true });
    if (causes.length > 0) return invalid(def, name, causes);
    const owned = updateOwnership({ live, next, manager: opts.manager, time: this.timestamp() });
    return this.commit(def, live, owned, opts.dryRun);
  }

  /** `preconditions`: DeleteOptions.preconditions; a mismatch is the API server's 409 Conflict (preconditionFailed). */
  delete(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    dryRun = false,
    preconditions: DeletePreconditions = {},
  ): StatusReply {
    const key = keyOf(def, namespace, name);
    const live = this.objects.get(key);
    if (!live) return notFound(def, name);
    const failed = preconditionFailed(def, live, preconditions);
    if (failed) return failed;
    if (def.kind === "Namespace" && this.stuckTerminating.has(name)) {
      // The namespace controller cannot finish: the namespace stays Terminating with its contents.
      const terminating = dryRun
        ? live
        : this.putSystemObject({
            ...live,
            metadata: { ...live.metadata, deletionTimestamp: live.metadata.deletionTimestamp ?? this.timestamp() },
            status: {
              phase: "Terminating",
              conditions: [
                {
                  type: "NamespaceFinalizersRemaining",
                  status: "True",
                  reason: "SomeFinalizersRemain",
                  message: "Some content in the namespace has finalizers remaining",
                },
              ],
            },
          });
      return { code: 200, body: structuredClone(terminating) };
    }
    if (!dryRun) this.remove(key, def, live);
    const reply = statusReply(200, "", "", { name, group: def.group, kind: def.plural });
    const { reason: _r, message: _m, ...body } = reply.body;
    return { code: 200, body: { ...body, details: { ...(body.details as object), uid: live.metadata.uid } } };
  }

  private remove(key: string, def: ResourceDefinition, live: K8sObject) {
    this.objects.delete(key);
    this.emit({ type: "deleted", def, object: live });
    // Garbage collection: namespace contents, then anything whose owner is gone.
    for (const [k, o] of [...this.objects]) {
      const inNamespace = def.kind === "Namespace" && o.metadata.namespace === live.metadata.name;
      const owned =
        Array.isArray(o.metadata.ownerReferences) &&
        o.metadata.ownerReferences.some((r: { uid?: string }) => r.uid === live.metadata.uid);
      const [group, plural] = k.split("|");
      const ownedDef = this.resources().find((d) => d.group === group && d.plural === plural);
      if ((inNamespace || owned) && this.objects.has(k) && ownedDef) this.remove(k, ownedDef, o);
    }
    if (def.kind === "CustomResourceDefinition") this.registerCrd(live, false);
  }

  private checkBody(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
    body: unknown,
  ): { object: K8sObject } | { error: StatusReply } {
    if (!isPlainObject(body) || !isPlainObject(body.metadata))
      return { error: badRequest("the body of the request was in an unknown format") };
    const obj = body as K8sObject;
    if (obj.kind !== def.kind || obj.apiVersion !== groupVersionOf(def)) {
      return {
        error: badRequest(
          `the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersionOf(def)}) or the kind (${obj.kind}) does not match (${def.kind})`,
        ),
      };
    }
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      return {
        error: badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`),
      };
    }
    if (def.namespaced && obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace) {
      return {
        error: badRequest("the namespace of the provided object does not match the namespace sent on the request"),
      };
    }
    const causes = validateObject({ ...obj, metadata: { ...obj.metadata, name } }, { requireName: true });
    if (causes.length > 0) return { error: invalid(def, name, causes) };
    return {
      object: {
        ...structuredClone(obj),
        metadata: { ...structuredClone(obj.metadata), name, ...(def.namespaced ? { namespace } : {}) },
      },
    };
  }

  private missingNamespace(def: ResourceDefinition, namespace: string | undefined): StatusReply | undefined {
    if (!def.namespaced) return undefined;
    const nsDef = this.findByKind("v1", "Namespace")!;
    const ns = namespace ? this.objects.get(keyOf(nsDef, undefined, namespace)) : undefined;
    if (ns && ns.metadata.deletionTimestamp) {
      return statusReply(
        403,
        "Forbidden",
        `${def.plural} "" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { kind: def.plural },
      );
    }
    if (ns) return undefined;
    return statusReply(404, "NotFound", `namespaces "${namespace}" not found`, { name: namespace, kind: "namespaces" });
  }

  private commit(
    def: ResourceDefinition,
    live: K8sObject | undefined,
    candidate: K8sObject,
    dryRun: boolean,
  ): StatusReply {
    const next = structuredClone(candidate);
    applyDefaults(next, () => `10.96.${Math.floor(this.ipCounter / 250)}.${(this.ipCounter++ % 250) + 1}`);
    if (live && deepEqual(ownedPart(live), ownedPart(next)) && sameOwnership(live, next)) {
      return { code: 200, body: structuredClone(live) };
    }
    const meta = next.metadata;
    meta.uid = live?.metadata.uid ?? randomUUID();
    meta.creationTimestamp = live?.metadata.creationTimestamp ?? this.timestamp();
    const specChanged = !live || !deepEqual(withoutMetaAndStatus(live), withoutMetaAndStatus(next));
    meta.generation = (Number(live?.metadata.generation) || 0) + (specChanged ? 1 : 0);
    if (dryRun) {
      if (live) meta.resourceVersion = live.metadata.resourceVersion;
      else delete meta.resourceVersion;
      return { code: live ? 200 : 201, body: next };
    }
    meta.resourceVersion = String(++this.resourceVersion);
    this.objects.set(keyOf(def, meta.namespace as string | undefined, String(meta.name)), next);
    if (def.kind === "CustomResourceDefinition") this.registerCrd(next, true);
    this.emit({ type: "written", def, object: next });
    return { code: live ? 200 : 201, body: structuredClone(next) };
  }

  /** A CRD makes its kinds served (and deleting it stops serving them), as on a real cluster. */
  private registerCrd(crd: K8sObject, installed: boolean) {
    const spec = crd.spec as {
      group?: string;
      scope?: string;
      names?: { kind?: string; plural?: string };
      versions?: Array<{ name: string; served?: boolean }>;
    };
    for (const v of spec?.versions ?? []) {
      if (v.served === false || !spec.group || !spec.names?.kind || !spec.names.plural) continue;
      const key = `${spec.group}/${v.name}/${spec.names.kind}`;
      const isStatic = [...builtInResources, ...customResources].some((d) => `${groupVersionOf(d)}/${d.kind}` === key);
      if (isStatic) {
        if (installed) this.disabled.delete(key);
        else this.disabled.add(key);
        continue;
      }
      this.dynamic = this.dynamic.filter((d) => `${groupVersionOf(d)}/${d.kind}` !== key);
      if (installed)
        this.dynamic.push({
          group: spec.group,
          version: v.name,
          kind: spec.names.kind,
          plural: spec.names.plural,
          namespaced: spec.scope !== "Cluster",
          custom: true,
        });
    }
  }

  private emit(event: Parameters<WriteListener>[0]) {
    for (const l of this.listeners) l(event);
  }
}

function withoutMetaAndStatus(obj: K8sObject) {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function sameOwnership(a: K8sObject, b: K8sObject): boolean {
  const strip = (o: K8sObject) =>
    ((o.metadata.managedFields as Array<Record<string, unknown>>) ?? []).map(({ time: _t, ...rest }) => rest);
  return deepEqual(strip(a), strip(b));
}
