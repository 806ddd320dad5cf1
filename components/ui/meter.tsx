import "./primitives.css";

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * A used-of-total bar with its numbers in text beside it (the bar is decoration for sighted readers; the label and
 * the text carry the meaning). Turns amber from 80 % and red when full.
 */
export function Meter({
  used,
  total,
  label,
  unit = "",
}: {
  used: number;
  total: number;
  label: string;
  unit?: string;
}) {
  const text = `${grouped.format(used)} / ${grouped.format(total)}${unit}`;
  const share = total > 0 ? Math.min(1, used / total) : 0;
  const tone = total > 0 && used >= total ? "full" : share >= 0.8 ? "high" : "ok";
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
        <span className="meter-fill" style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
      <span className="meter-text">{text}</span>
    </span>
  );
}
