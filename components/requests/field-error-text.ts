// The plan schema's messages name the field by its path ("training.gpus_per_node must be at least 1"), which is what an
// API client needs; beside a form field the person reads the label they see instead ("GPUs per node must be at least 1").

/**
 * The message with a leading field path (the form name without "input.", or its last segment) replaced by the label,
 * when the schema's "<field> must ..." form says it is the field's name (not "port 8080 is reserved").
 */
export function labelledError(message: string, name: string, label: string): string {
  const path = name.replace(/^input\./, "");
  const last = path.split(".").pop() ?? path;
  for (const prefix of [path, last]) {
    if (message.startsWith(`${prefix} must `)) return `${label}${message.slice(prefix.length)}`;
  }
  return message;
}
