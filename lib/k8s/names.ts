// Kubernetes object names (apimachinery's validation): every schema and check that accepts a name uses these, so a
// name the portal accepts is one the API server accepts. Messages stay with each schema, which knows the field.

/** DNS-1123 label, unanchored, for patterns that embed it (a label key's prefix, an API group, a sync ref). */
export const dns1123LabelSource = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
/** DNS-1123 subdomain, unanchored: dot-separated labels. */
export const dns1123SubdomainSource = `${dns1123LabelSource}(\\.${dns1123LabelSource})*`;

/** DNS-1123 label: namespaces, most object names, container names. */
export const dns1123LabelPattern = new RegExp(`^${dns1123LabelSource}$`);
export const DNS1123_LABEL_MAX_LENGTH = 63;

/** DNS-1123 subdomain: dot-separated labels, for names of Deployments, ConfigMaps and most other kinds. */
export const dns1123SubdomainPattern = new RegExp(`^${dns1123SubdomainSource}$`);
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/** A label the API server accepts, as the schemas' regex checks do. */
export function isDns1123Label(name: string): boolean {
  return name.length <= DNS1123_LABEL_MAX_LENGTH && dns1123LabelPattern.test(name);
}
