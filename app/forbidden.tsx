import { ButtonLink } from "@/components/ui/button";

export default function Forbidden() {
  return (
    <main className="content" id="main">
      <h1>403 · Not allowed</h1>
      <p className="subtitle">
        Your role does not give access to this page. The attempt was recorded in the audit log.
      </p>
      <ButtonLink href="/">Back to your home page</ButtonLink>
    </main>
  );
}
