// "3 minutes ago" with the exact UTC time in a tooltip. `now` comes from the caller so rendering stays pure.
export function formatRelative(date: Date, now: Date): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const units: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, "second"],
    [60, "minute"],
    [24, "hour"],
    [30, "day"],
    [12, "month"],
    [Infinity, "year"],
  ];
  let value = abs;
  let unit: Intl.RelativeTimeFormatUnit = "second";
  for (const [size, name] of units) {
    unit = name;
    if (value < size) break;
    value = Math.floor(value / size);
  }
  return new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(seconds >= 0 ? -value : value, unit);
}

export function RelativeTime({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={date.toISOString().replace("T", " ").slice(0, 19) + " UTC"}>
      {formatRelative(date, now)}
    </time>
  );
}
