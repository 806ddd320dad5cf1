"use client";
// Admins register a cluster target: name, how the portal's server authenticates (never a secret), and optionally the
// API server, which is always the one the credentials' kubeconfig context names (shown as soon as one is picked).
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProvider, useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { clusterTargetSchema } from "@/lib/clusters/schema";
import { TextField } from "./form-fields";
import { formFieldFromApiPath } from "./request-form-model";
import { Button } from "@/components/ui/button";

interface Values {
  name: string;
  apiServer: string;
  credentialRef: string;
  protectedNamespaces: string;
}

const schema = z.object({
  name: clusterTargetSchema.shape.name,
  // An empty field means "take the context's server", which is what the API does when apiServer is left out.
  apiServer: z
    .string()
    .trim()
    .transform((s) => s || undefined)
    .pipe(clusterTargetSchema.shape.apiServer),
  credentialRef: clusterTargetSchema.shape.credentialRef,
  protectedNamespaces: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .pipe(clusterTargetSchema.shape.protectedNamespaces.unwrap()),
});
// The form holds what is typed (Values); the resolver hands onSubmit the parsed request body.
type Parsed = z.output<typeof schema>;
const resolver = zodResolver<Values, unknown, Parsed>(schema);

/** A context of the server's kubeconfig as the form may show it: its name and its server, never its credentials. */
export interface KubeconfigContextOption {
  name: string;
  apiServer?: string;
}

export function RegisterClusterForm({ contexts = [] }: { contexts?: KubeconfigContextOption[] }) {
  const router = useRouter();
  const register = useApiMutation(api.clusters.register, { invalidates: [api.clusters.list] });
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);
  const form = useForm<Values, unknown, Parsed>({
    resolver,
    mode: "onTouched",
    defaultValues: {
      name: "",
      apiServer: "",
      credentialRef: "kubeconfig-context:",
      protectedNamespaces: "kube-system",
    },
  });
  const credentialRef = useWatch({ control: form.control, name: "credentialRef" });
  const contextServer = contexts.find((c) => `kubeconfig-context:${c.name}` === credentialRef.trim())?.apiServer;
  // protectedNamespaces is already the parsed list.
  async function onSubmit(parsed: Parsed) {
    try {
      await register.mutateAsync({ body: parsed });
    } catch (e) {
      const error = asApiError(e);
      for (const [path, message] of Object.entries(error.fieldMessages())) {
        const name = formFieldFromApiPath(path.replace(/\.\d+$/, ""));
        if (name) form.setError(name as keyof Values, { type: "server", message });
      }
      setMessage({ tone: "danger", text: error.message });
      return;
    }
    setMessage({
      tone: "info",
      text: `Registered ${parsed.name}. Use "Check connection" to verify the credentials.`,
    });
    form.reset();
    router.refresh();
  }
  return (
    <FormProvider {...form}>
      <form
        className="card"
        onSubmit={form.handleSubmit(onSubmit)}
        noValidate
        aria-labelledby="register-title"
        data-testid="register-cluster"
      >
        <h2 className="flush-top" id="register-title">
          Register a cluster
        </h2>
        <div className="field-row">
          <TextField name="name" label="Name" help="DNS-1123 label, e.g. prod-us-west-2." />
          <TextField
            name="credentialRef"
            label="Credentials"
            list="kubeconfig-contexts"
            help='"kubeconfig-context:<context>" from the kubeconfig named in the server configuration, or "in-cluster". Never paste a token here.'
          />
          <datalist id="kubeconfig-contexts">
            {contexts.map((c) => (
              <option key={c.name} value={`kubeconfig-context:${c.name}`} />
            ))}
          </datalist>
          <TextField
            name="apiServer"
            label="API server (optional)"
            placeholder={contextServer ?? "taken from the context"}
            help={
              contextServer
                ? `Taken from the context: ${contextServer}. Credentials are only ever sent to their context's server.`
                : "Leave empty: it is taken from the credentials' kubeconfig context. If given, it must be that server."
            }
          />
          <TextField
            name="protectedNamespaces"
            label="Protected namespaces"
            help="Comma-separated; the portal never changes them."
          />
        </div>
        {message && (
          <div className={`alert alert-${message.tone}`} role={message.tone === "danger" ? "alert" : "status"}>
            {message.text}
          </div>
        )}
        <Button type="submit" variant="primary" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Registering…" : "Register cluster"}
        </Button>
      </form>
    </FormProvider>
  );
}
