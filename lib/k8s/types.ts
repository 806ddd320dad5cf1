// The shape of any Kubernetes object the portal generates or reads. Generators return typed objects
// (kubernetes-models classes or plain objects of this shape); YAML exists only at the edge.
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}
