import { ButtonLink } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="content" id="main">
      <h1>404 · Page not found</h1>
      <p className="subtitle">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <ButtonLink href="/">Go to the home page</ButtonLink>
    </main>
  );
}
