import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";
import { HydrationMarker } from "@/components/shell/hydration-marker";

export const metadata: Metadata = {
  title: { default: "ML Infrastructure Portal", template: "%s · ML Infrastructure Portal" },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request, so Next.js can put the request's CSP nonce (proxy.ts) on its scripts; a page
  // prerendered at build time would carry no nonce and its scripts would be refused.
  await connection();
  return (
    <html lang="en">
      <body>
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
