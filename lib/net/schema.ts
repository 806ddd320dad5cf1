// Zod schemas of the URL policy's settings: the one admin-owned allow-list every server-side fetch is checked against.
import { z } from "zod";
import { parseAllowEntry } from "./url-policy";

export const URL_ALLOW_LIST_KEY = "net.url-allow-list";
export const MAX_ALLOW_ENTRIES = 100;

const allowEntry = z.string().superRefine((entry, ctx) => {
  const parsed = parseAllowEntry(entry);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.reason });
});

/** PUT /api/v1/settings/url-allow-list: each entry is host:port, IP:port or CIDR:port (see url-policy.ts). */
export const urlAllowListSchema = z.object({
  entries: z
    .array(allowEntry)
    .max(MAX_ALLOW_ENTRIES, `at most ${MAX_ALLOW_ENTRIES} entries: use a CIDR to cover several hosts`),
});
export type UrlAllowList = z.output<typeof urlAllowListSchema>;

/**
 * The list as stored. Entries that no longer parse are kept rather than refused (one bad entry must not stop every
 * fetch from reading the list); they match nothing, and the Settings page names them.
 */
export const storedUrlAllowListSchema = z.object({ entries: z.array(z.string()).max(1000).default([]) });

/** What GET and PUT /api/v1/settings/url-allow-list answer: the list as stored. */
export const urlAllowListResponse = z.object({ entries: z.array(z.string()) });
