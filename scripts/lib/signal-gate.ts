// One Ctrl-C can reach `npm start` more than once within milliseconds: the terminal sends SIGINT to the whole
// process group and npm (and the tsx wrapper) forward the one they got to their child. A signal that follows the
// last one that counted by less than `windowMs` is the same key press; a later one is the person pressing again.
export type SignalPress = "first" | "again" | "duplicate";

/** Returns a function that classifies each signal by its arrival time (ms; the caller passes Date.now()). */
export function createSignalGate(windowMs: number): (now: number) => SignalPress {
  let lastCounted: number | null = null;
  return (now) => {
    if (lastCounted !== null && now - lastCounted < windowMs) return "duplicate";
    const press = lastCounted === null ? "first" : "again";
    // Measured from the press that counted, so a burst of copies cannot stretch the window forever.
    lastCounted = now;
    return press;
  };
}
