// RFC 4180 CSV, and a guard against spreadsheet formula injection in text cells (team names are user input).
export type CsvCell = string | number | null;
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

function cell(v: CsvCell): string {
  if (v === null) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(Math.round(v * 10_000) / 10_000) : "";
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
