import "./primitives.css";

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * A used-of-total bar with its numbers in text beside it (the bar is decoration for sighted readers; the label and
 * the text carry the meaning). Turns amber from 80 % and red when full.
 *
 * `projected`: where `used` is heading (a month-end forecast). The bar then shows it as a lighter band beyond the
 * used part and takes its colour from it, so a budget forecast to overrun is red already at 27 % spent.
 */
export function meterTone(used: number, total: number, projected?: number): "ok" | "high" | "full" {
  const basis = Math.max(used, projected ?? 0);
  if (total <= 0) return "ok";
  return basis >= total ? "full" : basis / total >= 0.8 ? "high" : "ok";
}

export function Meter({
  used,
  total,
  label,
  unit = "",
  projected,
}: {
  used: number;
  total: number;
  label: string;
  unit?: string;
  projected?: number;
}) {
  const text = `${grouped.format(used)} / ${grouped.format(total)}${unit}`;
  const share = total > 0 ? Math.min(1, used / total) : 0;
  const projectedShare = total > 0 && projected !== undefined ? Math.min(1, projected / total) : 0;
  const tone = meterTone(used, total, projected);
  return (
    <span className="meter" data-tone={tone}>
      <span
        className="meter-track"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={Math.min(used, total)}
        aria-valuetext={`${grouped.format(used)} of ${grouped.format(total)}${unit}`}
      >
        {projectedShare > share && (
          <span className="meter-projected" style={{ width: `${Math.round(projectedShare * 100)}%` }} />
        )}
        <span className="meter-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="meter-text">{text}</span>
    </span>
  );
}
