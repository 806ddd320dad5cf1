"use client";
// Settings → Single sign-on groups: the claim that lists a person's groups, which group gives which role (first
// matching line wins) and which team memberships. Applied at every single sign-on; saving replaces the OIDC_GROUP_*
// environment defaults. Errors name the line they are on.
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import type { SsoGroupMapping } from "@/lib/auth/sso-groups";
import type { ArgsOf } from "@/lib/client/api-client";

// mappingFromText checks every line; the server parses the body again and names any field it refuses.
type SsoGroupMappingBody = ArgsOf<typeof api.settings.saveSsoGroups>["body"];
import {
  errorsOfFields,
  mappingFromText,
  textOfMapping,
  type MappingErrors,
  type MappingText,
} from "./sso-group-mapping-model";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SsoGroupMappingForm({
  mapping,
  source,
  enabled,
}: {
  mapping: SsoGroupMapping;
  source: "settings" | "environment";
  enabled: boolean;
}) {
  const router = useRouter();
  const save = useApiMutation(api.settings.saveSsoGroups, { invalidates: [api.settings.ssoGroups] });
  const id = useId();
  const [text, setText] = useState<MappingText>(textOfMapping(mapping));
  const [errors, setErrors] = useState<MappingErrors>({});
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  function focusFirst(next: MappingErrors) {
    const first = (["claim", "roles", "teams"] as const).find((f) => next[f]?.length);
    if (first) document.getElementById(`${id}-${first}`)?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const parsed = mappingFromText(text);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      focusFirst(parsed.errors);
      return setMessage({ tone: "danger", text: "Not saved: fix the lines named below." });
    }
    setBusy(true);
    const error = await save.mutateAsync({ body: parsed.body as SsoGroupMappingBody }).then(
      () => null,
      (e: unknown) => asApiError(e),
    );
    setBusy(false);
    if (!error) {
      setErrors({});
      setMessage({ tone: "info", text: "Saved. It applies at each person's next single sign-on." });
      router.refresh();
      return;
    }
    const byField = errorsOfFields([...error.fields], text);
    setErrors(byField);
    focusFirst(byField);
    setMessage({ tone: "danger", text: error.message });
  }

  const field = (name: keyof MappingText, label: string, helpText: string, rows?: number) => {
    const errs = errors[name] ?? [];
    return (
      <Field
        id={`${id}-${name}`}
        label={label}
        hint={helpText}
        error={
          errs.length > 0 && (
            <ul className="flush" data-testid={`sso-error-${name}`}>
              {errs.map((e) => (
                <li key={e}>
                  {label}: {e}
                </li>
              ))}
            </ul>
          )
        }
      >
        {(control) => {
          const props = {
            ...control,
            value: text[name],
            spellCheck: false,
            onChange: (e: { target: { value: string } }) => setText({ ...text, [name]: e.target.value }),
          };
          return rows ? <textarea rows={rows} {...props} /> : <input type="text" autoComplete="off" {...props} />;
        }}
      </Field>
    );
  };

  return (
    <form
      className="card"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="sso-group-mapping-form"
    >
      <h2 className="flush-top" id={`${id}-title`}>
        Single sign-on groups
      </h2>
      <p className="help flush-top">
        {enabled
          ? "Single sign-on is on (OIDC_ISSUER)."
          : "Single sign-on is off: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET to turn it on."}{" "}
        {source === "environment"
          ? "Showing the environment's defaults (OIDC_GROUP_ROLES, OIDC_GROUP_TEAMS); saving replaces them."
          : "Saved here; the environment's defaults no longer apply."}{" "}
        Applied at every sign-in. Once any group is mapped, a person in none of these groups cannot sign in.
      </p>
      {field(
        "claim",
        "Groups claim",
        "The ID-token claim that lists the person's groups, e.g. groups, roles or cognito:groups.",
      )}
      {field(
        "roles",
        "Group → role",
        "One per line: group = role (ml-engineer, finance, sre or platform-admin). The first line whose group the person has wins; with none, they get OIDC_DEFAULT_ROLE.",
        4,
      )}
      {field(
        "teams",
        "Group → team",
        "One per line: group = team slug. A person joins every team one of their groups maps to.",
        4,
      )}
      {message && (
        <div className={`alert alert-${message.tone}`} role={message.tone === "danger" ? "alert" : "status"}>
          {message.text}
        </div>
      )}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Saving…" : "Save group mapping"}
      </Button>
    </form>
  );
}
