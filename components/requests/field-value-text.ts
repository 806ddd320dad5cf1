// A live or desired field value as the dry-run and drift lists show it: "—" when absent, strings as they are,
// anything else as JSON.
export const fieldValueText = (value: unknown): string =>
  value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value);
