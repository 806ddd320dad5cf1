"use client";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-path";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SignInForm({
  demo,
  oidc,
  callbackUrl,
  initialError,
}: {
  demo: boolean;
  oidc: boolean;
  callbackUrl: string;
  initialError?: string;
}) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", {
      email: String(data.get("email")),
      password: String(data.get("password")),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(
        result?.error && result.error !== "CredentialsSignin"
          ? result.error
          : "Wrong email or password. Check both and try again.",
      );
      return;
    }
    // The page already cleaned the callback; checking again here keeps the form safe wherever it is used.
    window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
  }

  return (
    <div>
      {error && (
        <div className="alert alert-danger" role="alert" data-testid="sign-in-error">
          {error}
        </div>
      )}
      {demo && (
        <form onSubmit={onSubmit} noValidate>
          <Field id="email" label="Email">
            {(control) => (
              // eslint-disable-next-line jsx-a11y/no-autofocus -- the page has one task; focusing its first field saves a tab stop
              <input {...control} name="email" type="email" autoComplete="username" required autoFocus />
            )}
          </Field>
          <Field id="password" label="Password">
            {(control) => (
              <input {...control} name="password" type="password" autoComplete="current-password" required />
            )}
          </Field>
          <Button variant="primary" type="submit" disabled={pending}>
            {pending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      )}
      {oidc && (
        <p className={demo ? "mt-16" : "flush-top"}>
          <Button onClick={() => signIn("oidc", { callbackUrl })}>Sign in with single sign-on</Button>
        </p>
      )}
    </div>
  );
}
