"use client";
// Terraform (or the on-premises kubeadm plan) one file at a time, each downloadable. The portal never applies these.
import { useState } from "react";
import { CodeBlock } from "@/components/ui/code-block";
import { infrastructureFiles } from "./plan-yaml";
import { buttonClass } from "@/components/ui/button";

export function InfrastructureFiles({ config }: { config: Record<string, unknown> }) {
  const { kind, files } = infrastructureFiles(config);
  const [selected, setSelected] = useState(0);
  if (kind === "none") {
    return (
      <p className="help">
        This request has no cloud infrastructure part: everything it needs is applied inside the cluster.
      </p>
    );
  }
  const file = files[Math.min(selected, files.length - 1)];
  return (
    <div data-testid="infrastructure-files">
      {kind === "recovery" ? (
        <div className="alert alert-info">
          <strong>Recovery files</strong> — the recovery plans&apos; steps read these files under these paths: keep them
          together in one folder and run the steps from there.
        </div>
      ) : (
        <div className="alert alert-info">
          <strong>Apply with Terraform</strong> — the portal does not apply cloud resources. Download these files and
          run them through your Terraform pipeline
          {kind === "cluster_plan" ? " (on premises: kubeadm configuration)" : ""}.
        </div>
      )}
      <div className="row" role="group" aria-label="Files">
        {files.map((f, i) => (
          <button
            key={f.name}
            type="button"
            className={buttonClass(i === selected ? "primary" : "secondary", "sm")}
            aria-pressed={i === selected}
            onClick={() => setSelected(i)}
          >
            {f.name}
          </button>
        ))}
      </div>
      {file && (
        <div className="mt-8">
          <CodeBlock code={file.content} filename={file.name} label={file.name} />
        </div>
      )}
    </div>
  );
}
