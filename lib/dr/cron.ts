// Validation of 5-field cron expressions (UTC) for scheduled drills. The lead's scheduler (pg-boss) runs them;
// here we only refuse what it would reject, so that a bad schedule fails when the plan is saved, not at 3 a.m.
const fields: Array<{ min: number; max: number; names?: string[] }> = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

function valueOf(token: string, field: (typeof fields)[number]): number | null {
  const named = field.names?.indexOf(token.toLowerCase()) ?? -1;
  if (named >= 0) return named + field.min;
  if (!/^\d+$/.test(token)) return null;
  const n = Number(token);
  return n >= field.min && n <= field.max ? n : null;
}

function isValidPart(part: string, field: (typeof fields)[number]): boolean {
  const [range, step, ...extra] = part.split("/");
  if (extra.length > 0) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) >= 1)) return false;
  if (range === "*") return true;
  const bounds = range!.split("-");
  if (bounds.length > 2) return false;
  const values = bounds.map((b) => valueOf(b, field));
  if (values.some((v) => v === null)) return false;
  return values.length === 1 || (values[0] as number) <= (values[1] as number);
}

export function isValidCron(expression: string): boolean {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return false;
  return parts.every((p, i) => p.split(",").every((item) => item.length > 0 && isValidPart(item, fields[i]!)));
}

function partMatches(part: string, value: number, field: (typeof fields)[number]): boolean {
  const [range, stepText] = part.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  let low = field.min;
  let high = field.max;
  if (range !== "*") {
    const bounds = range!.split("-").map((b) => valueOf(b, field) as number);
    low = bounds[0]!;
    high = bounds.length === 2 ? bounds[1]! : stepText === undefined ? bounds[0]! : field.max;
  }
  return value >= low && value <= high && (value - low) % step === 0;
}

/**
 * Whether a valid 5-field cron expression fires in the UTC minute of `at` (as Velero's Schedule and cron do;
 * day-of-week 7 is Sunday, and when both day fields are restricted either may match).
 */
export function cronMatches(expression: string, at: Date): boolean {
  const parts = expression.trim().split(/\s+/);
  const values = [at.getUTCMinutes(), at.getUTCHours(), at.getUTCDate(), at.getUTCMonth() + 1, at.getUTCDay()];
  const match = (i: number) =>
    parts[i]!.split(",").some(
      (p) => partMatches(p, values[i]!, fields[i]!) || (i === 4 && values[i] === 0 && partMatches(p, 7, fields[i]!)),
    );
  if (![0, 1, 3].every(match)) return false;
  const domRestricted = parts[2] !== "*";
  const dowRestricted = parts[4] !== "*";
  if (domRestricted && dowRestricted) return match(2) || match(4);
  return match(2) && match(4);
}
