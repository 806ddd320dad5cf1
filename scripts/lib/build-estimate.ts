// What npm start says before `next build`'s silent minutes: a range measured on an idle 2-core machine, and that a
// busy machine takes longer (a first build took 7.5 minutes at a load average of 19 on 2 cores). Pure.

export function buildEstimate({ first, cores, load }: { first: boolean; cores: number; load: number }): string {
  const busy = load > cores * 1.5;
  const range = `about 2–6 minutes on an idle 2-core machine${busy ? `, longer now: the load average is ${load.toFixed(0)} on ${cores} cores` : ", longer when the machine is busy"}`;
  return first
    ? `building the app (first run; ${range}; later runs rebuild only after a change)…`
    : `rebuilding the app because its sources changed (${range})…`;
}
