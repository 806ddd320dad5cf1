"use client";
// The admin's URL allow-list: the hosts and networks, each with a port, that the portal may fetch from (Prometheus,
// DR health checks, a custom AWS endpoint). Checked in the browser with the API's own schema; the server's 422
// lands on the same lines. Beside it, every URL the portal is configured to fetch and whether the saved list allows it.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import type { FetchedUrl } from "@/lib/net/fetched-urls";
import { allowListFromText, lineErrors, textFromEntries } from "./url-allow-list-model";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function UrlAllowListForm({ entries, fetched }: { entries: readonly string[]; fetched: readonly FetchedUrl[] }) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState(textFromEntries(entries));
  const [errors, setErrors] = useState<string[]>([]);
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const save = useApiMutation(api.settings.saveUrlAllowList, { invalidates: [api.settings.urlAllowList] });

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    const parsed = allowListFromText(text);
    if (!parsed.ok) return setErrors(parsed.errors);
    setSaving(true);
    const error = await save.mutateAsync({ body: parsed.list }).then(
      () => null,
      (e: unknown) => asApiError(e),
    );
    setSaving(false);
    if (!error) {
      setErrors([]);
      setMessage({
        tone: "info",
        text: `Saved ${parsed.list.entries.length} entr${parsed.list.entries.length === 1 ? "y" : "ies"}. Every fetch from now on is checked against them.`,
      });
      router.refresh();
      return;
    }
    const byLine = lineErrors([...error.fields], text);
    setErrors(byLine);
    setMessage({
      tone: "danger",
      text: byLine.length ? "Not saved: fix the lines named below the list." : error.message,
    });
  }

  return (
    <form
      className="card"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="url-allow-list-form"
    >
      <h2 className="flush-top" id={`${id}-title`}>
        URL allow-list
      </h2>
      <p className="help flush-top">
        The portal fetches only from hosts and ports listed here: Prometheus, DR health checks and a custom AWS
        endpoint.
      </p>
      <Field
        label="Allowed hosts and networks"
        announceError
        hint={
          <>
            One entry per line: host:port, IP:port or CIDR:port. A host name allows itself; an IP or CIDR allows URLs
            written with that address and host names that resolve into it. <code>*</code> as the port allows every port
            of that host: use it only for a host you trust on all of them. Link-local, cloud metadata and reserved
            addresses (such as 169.254.169.254, fd00:ec2::254, and their IPv4-in-IPv6 spellings) are never fetched, even
            when listed.
          </>
        }
        error={
          errors.length > 0 && (
            <ul className="flush" data-testid="url-allow-list-errors">
              {errors.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          )
        }
      >
        {(control) => (
          <textarea
            {...control}
            rows={5}
            spellCheck={false}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={"prometheus.monitoring.svc:9090\n10.0.0.0/8:8080\n[fd00::/8]:443"}
          />
        )}
      </Field>
      {message && (
        <div className={`alert alert-${message.tone}`} role={message.tone === "danger" ? "alert" : "status"}>
          {message.text}
        </div>
      )}
      <Button type="submit" variant="primary" disabled={saving}>
        {saving ? "Saving…" : "Save allow-list"}
      </Button>

      <h3 className="h3">What the portal fetches</h3>
      {fetched.length === 0 ? (
        <p className="help">No URL is configured yet: set a Prometheus URL above or add a health check to a DR plan.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table" data-testid="fetched-urls">
            <thead>
              <tr>
                <th scope="col">Configured in</th>
                <th scope="col">URL</th>
                <th scope="col">Saved list</th>
              </tr>
            </thead>
            <tbody>
              {fetched.map((f) => (
                <tr key={`${f.source} ${f.url}`}>
                  <td>{f.source}</td>
                  <td>
                    <code>{f.url}</code>
                  </td>
                  <td>
                    {f.allowed ? (
                      <span className="badge badge-success">allowed</span>
                    ) : (
                      <span className="badge badge-danger">refused</span>
                    )}
                    {f.reason && (
                      <>
                        {" "}
                        <span className="help">{f.reason}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
