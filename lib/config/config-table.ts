import { settingDocs } from "./env";

/** The Markdown table of every setting (name, default, meaning) in declaration order. */
export function renderConfigTable(): string {
  const escape = (s: string) => s.replace(/\|/g, "\\|");
  const rows = settingDocs.map((s) => `| \`${s.name}\` | ${escape(s.default)} | ${escape(s.meaning)} |`);
  return ["| name | default | meaning |", "| --- | --- | --- |", ...rows, ""].join("\n");
}
