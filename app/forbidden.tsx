import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="content" id="main">
      <h1>403 · Not allowed</h1>
      <p className="subtitle">
        Your role does not give access to this page. The attempt was recorded in the audit log.
      </p>
      <Link className="btn" href="/">
        Back to your home page
      </Link>
    </main>
  );
}
