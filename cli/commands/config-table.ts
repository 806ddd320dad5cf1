// `npm run -s portal -- config-table`: the README's configuration table, generated from lib/config/env.ts.
import { renderConfigTable } from "@/lib/config/config-table";
import type { CliCommand } from "./registry";

export const configTableCommand: CliCommand = {
  summary: "print the Markdown table of every environment setting (for README.md)",
  async run() {
    process.stdout.write(renderConfigTable());
    return 0;
  },
};
