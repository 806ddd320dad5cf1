// Number formatting shared by cost components (pure, browser-safe).
export const usd0 = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
export const usd2 = (v: number) =>
  `$${v.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const pct = (v: number, digits = 0) => `${v.toFixed(digits)}%`;
export const share = (v: number) => `${(v * 100).toFixed(0)}%`;
export const compactUsd = (v: number) =>
  Math.abs(v) >= 1000 ? `$${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : `$${Math.round(v)}`;
