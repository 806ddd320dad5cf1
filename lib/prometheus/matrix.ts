// The shape of a Prometheus range query's result series ("matrix"), shared by the client and the pure code that
// joins series. Pure.
export interface MatrixSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  values: [number, string][];
}
