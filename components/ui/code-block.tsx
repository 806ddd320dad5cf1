"use client";
// Preformatted text with "Copy" and "Download": for YAML, Terraform and runbooks.
import "./primitives.css";
import { useState } from "react";
import { Button } from "./button";

export function CodeBlock({
  code,
  filename,
  label,
  mime = "text/plain",
  wrap = false,
}: {
  code: string;
  filename?: string;
  label: string;
  mime?: string;
  /** Wrap long lines (prose such as a request to send) instead of scrolling sideways (code, YAML). */
  wrap?: boolean;
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(code).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  }
  function download() {
    const url = URL.createObjectURL(new Blob([code], { type: mime }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename ?? "download.txt";
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  return (
    <div className="code-block">
      <div className="code-block-actions">
        <Button size="sm" onClick={copy} aria-label={`Copy ${label}`}>
          {copied ? "Copied" : "Copy"}
        </Button>
        {filename && (
          <Button size="sm" onClick={download} aria-label={`Download ${filename}`}>
            Download
          </Button>
        )}
      </div>
      <pre className={wrap ? "code code-wrap" : "code"} aria-label={label} tabIndex={0}>
        {code}
      </pre>
    </div>
  );
}
