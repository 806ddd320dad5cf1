"use client";
// Marks <html data-hydrated> once React has hydrated the page. Until then a click reaches server-rendered HTML
// with no handlers and is lost; the e2e journeys wait for this mark after a full page load (e2e/shared/pages.ts).
// The "hydrated" performance mark is when that happened, from the start of the navigation (bench/pages.ts reads it).
import { useEffect } from "react";

export function HydrationMarker() {
  useEffect(() => {
    performance.mark("hydrated");
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
