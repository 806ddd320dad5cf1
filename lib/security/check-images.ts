// Image references: mutable tags mean the manifest does not say what runs.
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { containerName, listContainers, type PodSpecLocation } from "./pod-specs";

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(image: string): ImageReference {
  const [withoutDigest = "", digest] = image.split("@", 2);
  // A colon after the last slash is a tag; before it, it is a registry port (registry:5000/name).
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  const reference: ImageReference = { name: colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest };
  if (colon >= 0) reference.tag = withoutDigest.slice(colon + 1);
  if (digest) reference.digest = digest;
  return reference;
}

export function checkImages(pod: PodSpecLocation): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const location of listContainers(pod)) {
    const image = location.container.image;
    if (typeof image !== "string" || image === "") continue;
    const reference = parseImageReference(image);
    if (reference.digest) continue;
    const path = `${location.path}.image`;
    const name = containerName(location);
    if (reference.tag === undefined) {
      findings.push(
        makeFinding(
          "images.no-tag",
          pod.object,
          path,
          `Container ${name} uses ${image} with neither tag nor digest (means :latest).`,
        ),
      );
    } else if (reference.tag === "latest") {
      findings.push(makeFinding("images.latest-tag", pod.object, path, `Container ${name} uses ${image}.`));
    } else {
      findings.push(
        makeFinding("images.tag-without-digest", pod.object, path, `Container ${name} uses ${image} without a digest.`),
      );
    }
  }
  return findings;
}
