// The portal's command-line interface for pipelines: `npm run -s portal -- <command> [options]`.
// Each command lives in cli/commands/<name>.ts and exports `run(argv): Promise<number>` (the exit code).
// Exit codes: 0 success, 1 unexpected failure, 2 invalid input (messages on stderr); `submit` adds 3 for a missing
// or refused token.
import { commands } from "./commands/registry";

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return `usage: npm run -s portal -- <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
