/**
 * A run's recorded RTO/RPO in minutes, unrounded: the trend chart, the home page and the plan page convert and round
 * for display, so rounding here too (to 0.1 min, i.e. 6 s steps) made a 3 s RTO read "6 s" on the home page while the
 * run page said 3 s.
 */
export function measuredMinutes(r: { measuredRtoSeconds: number | null; measuredRpoSeconds: number | null }) {
  return {
    rtoMinutes: r.measuredRtoSeconds === null ? null : r.measuredRtoSeconds / 60,
    rpoMinutes: r.measuredRpoSeconds === null ? null : r.measuredRpoSeconds / 60,
  };
}
