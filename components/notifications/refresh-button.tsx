"use client";
// Deliveries happen in the worker after the page was rendered: this re-reads the page's data in place.
import { useRouter } from "next/navigation";
import { useTransition } from "react";

export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button type="button" className="btn" onClick={() => start(() => router.refresh())} disabled={pending}>
      {pending ? "Refreshing…" : "Refresh"}
    </button>
  );
}
