import type { Metadata } from "next";
import "./globals.css";
import { HydrationMarker } from "@/components/shell/hydration-marker";

export const metadata: Metadata = { title: { default: "ML Infrastructure Portal", template: "%s · ML Infrastructure Portal" } };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
