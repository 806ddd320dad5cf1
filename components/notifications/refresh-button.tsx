"use client";
// Deliveries happen in the worker after the page was rendered: this re-reads the page's data in place.
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";

export function RefreshButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button onClick={() => start(() => router.refresh())} disabled={pending}>
      {pending ? "Refreshing…" : "Refresh"}
    </Button>
  );
}
