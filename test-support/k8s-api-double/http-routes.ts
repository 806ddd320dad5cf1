// Maps HTTP requests onto ClusterState the way the API server's URL scheme and content types work.
import { parse as parseYaml } from "yaml";
import { type StatusReply, badRequest, notFound, statusReply } from "./api-status";
import type { ClusterState } from "./cluster-state";
import { deletePreconditionsOf } from "./delete-preconditions";
import { JsonPatchError, jsonPatch, mergePatch, strategicMergePatch } from "./patch-formats";
import { type ResourceDefinition, apiResourceList, groupVersionOf } from "./resource-catalog";

export type Reply = StatusReply | { code: number; text: string };

export interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: string;
}

const pageNotFound: Reply = { code: 404, text: "404 page not found\n" };

export function discovery(state: ClusterState, path: string): Reply | undefined {
  const defs = state.resources();
  if (path === "/api")
    return {
      code: 200,
      body: {
        kind: "APIVersions",
        versions: ["v1"],
        serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
      },
    };
  if (path === "/api/v1")
    return {
      code: 200,
      body: apiResourceList(
        "v1",
        defs.filter((d) => d.group === ""),
      ),
    };
  if (path === "/apis") {
    const groups = new Map<string, string[]>();
    for (const d of defs) if (d.group) groups.set(d.group, [...new Set([...(groups.get(d.group) ?? []), d.version])]);
    return {
      code: 200,
      body: {
        kind: "APIGroupList",
        apiVersion: "v1",
        groups: [...groups].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
        })),
      },
    };
  }
  const m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) {
    const inGroup = defs.filter((d) => d.group === m[1] && d.version === m[2]);
    return inGroup.length > 0 ? { code: 200, body: apiResourceList(`${m[1]}/${m[2]}`, inGroup) } : pageNotFound;
  }
  if (/^\/apis\/[^/]+$/.test(path)) {
    const group = path.split("/")[2];
    const versions = [...new Set(defs.filter((d) => d.group === group).map((d) => d.version))];
    if (versions.length === 0) return pageNotFound;
    return {
      code: 200,
      body: {
        kind: "APIGroup",
        apiVersion: "v1",
        name: group,
        versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
      },
    };
  }
  if (path === "/version")
    return {
      code: 200,
      body: { major: "1", minor: "31", gitVersion: "v1.31.0-portal-api-double", platform: "linux/amd64" },
    };
  if (["/healthz", "/readyz", "/livez"].includes(path)) return { code: 200, text: "ok" };
  return undefined;
}

interface ResourceTarget {
  def: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function resolveTarget(state: ClusterState, path: string): ResourceTarget | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? "";
  const version = m[1] ?? m[3];
  const segs = m[4]!.split("/").map(decodeURIComponent);
  let namespace: string | undefined;
  let rest = segs;
  if (
    segs[0] === "namespaces" &&
    segs.length >= 3 &&
    !(group === "" && segs.length === 3 && ["status", "finalize"].includes(segs[2]!))
  ) {
    namespace = segs[1];
    rest = segs.slice(2);
  }
  if (rest.length > 3) return undefined;
  const def = state.findByPlural(group, version!, rest[0]!);
  if (!def || (namespace && !def.namespaced)) return undefined;
  if (rest[2] && !(def.subresources ?? []).includes(rest[2])) return undefined;
  return { def, namespace, name: rest[1], subresource: rest[2] };
}

function parseBody(req: ParsedRequest): unknown {
  if (req.body.trim() === "") return undefined;
  return req.contentType.includes("yaml") ? parseYaml(req.body) : JSON.parse(req.body);
}

function listReply(state: ClusterState, target: ResourceTarget, query: URLSearchParams): Reply {
  const { def } = target;
  const items = state.list(def, target.namespace, query.get("labelSelector")).map((o) => {
    if (def.custom) return o;
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return rest;
  });
  return {
    code: 200,
    body: {
      kind: `${def.kind}List`,
      apiVersion: groupVersionOf(def),
      metadata: { resourceVersion: state.currentResourceVersion() },
      items,
    },
  };
}

function scaleOf(obj: Record<string, unknown>): Record<string, unknown> {
  const spec = obj.spec as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const meta = obj.metadata as Record<string, unknown>;
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: (obj.status as { replicas?: number } | undefined)?.replicas ?? 0, selector },
  };
}

export function handleResource(state: ClusterState, req: ParsedRequest): Reply {
  const target = resolveTarget(state, req.path);
  if (!target) return pageNotFound;
  const { def, namespace, name, subresource } = target;
  const dryRun = req.query.get("dryRun") === "All";
  if (req.query.has("dryRun") && !dryRun)
    return badRequest(`Invalid dry run value: ${req.query.get("dryRun")}; supported values: All`);
  const manager = req.query.get("fieldManager") ?? "unknown";
  let body: unknown;
  try {
    body = parseBody(req);
  } catch (error) {
    return badRequest(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
  if (!name) {
    if (req.method === "GET") return listReply(state, target, req.query);
    if (req.method === "POST") return state.create(def, namespace, body, { manager, dryRun });
    return statusReply(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }
  if (subresource === "scale")
    return handleScale(state, target as Required<ResourceTarget>, req.method, body, {
      manager,
      dryRun,
      contentType: req.contentType,
    });
  switch (req.method) {
    case "GET": {
      const obj = state.get(def, namespace, name);
      return obj ? { code: 200, body: obj } : notFound(def, name);
    }
    case "DELETE":
      return state.delete(def, namespace, name, dryRun, deletePreconditionsOf(body));
    case "PUT":
      return state.update(def, namespace, name, () => body, {
        manager,
        dryRun,
        subresource: subresource === "status" ? "status" : undefined,
      });
    case "PATCH": {
      if (req.contentType.startsWith("application/apply-patch")) {
        if (!req.query.get("fieldManager")) return badRequest("PATCH: fieldManager is required for apply requests");
        return state.apply(def, namespace, name, body, { manager, dryRun, force: req.query.get("force") === "true" });
      }
      const change = patchFunction(req.contentType, body);
      if (!change)
        return statusReply(
          415,
          "UnsupportedMediaType",
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      return state.update(def, namespace, name, change, {
        manager,
        dryRun,
        subresource: subresource === "status" ? "status" : undefined,
      });
    }
    default:
      return statusReply(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}

function patchFunction(contentType: string, body: unknown): ((live: Record<string, unknown>) => unknown) | undefined {
  const wrap = (fn: (live: Record<string, unknown>) => unknown) => (live: Record<string, unknown>) => {
    try {
      return fn(live);
    } catch (error) {
      if (error instanceof JsonPatchError) throw error;
      throw new Error(String(error));
    }
  };
  if (contentType.startsWith("application/merge-patch+json")) return wrap((live) => mergePatch(live, body));
  if (contentType.startsWith("application/strategic-merge-patch+json"))
    return wrap((live) => strategicMergePatch(live, body));
  if (contentType.startsWith("application/json-patch+json")) return wrap((live) => jsonPatch(live, body));
  return undefined;
}

function handleScale(
  state: ClusterState,
  target: Required<ResourceTarget>,
  method: string,
  body: unknown,
  opts: { manager: string; dryRun: boolean; contentType: string },
): Reply {
  const { def, namespace, name } = target;
  const live = state.get(def, namespace, name);
  if (!live) return notFound(def, name);
  if (method === "GET") return { code: 200, body: scaleOf(live) };
  const change = method === "PUT" ? () => body : patchFunction(opts.contentType, body);
  if (!change) return badRequest("unsupported patch type for the scale subresource");
  const scale = change(scaleOf(live)) as { spec?: { replicas?: number } };
  const reply = state.update(
    def,
    namespace,
    name,
    (obj) => ({ ...obj, spec: { ...(obj.spec as object), replicas: scale.spec?.replicas } }),
    opts,
  );
  return "body" in reply && reply.code < 300 ? { code: 200, body: scaleOf(reply.body) } : reply;
}
