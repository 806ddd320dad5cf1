// Runs the panel's simulations off the main thread (simulate-rows.ts says why).
import { simulateRows, type SimulateRowsInput } from "./simulate-rows";

self.onmessage = (event: MessageEvent<{ id: number; input: SimulateRowsInput }>) => {
  const { id, input } = event.data;
  try {
    self.postMessage({ id, ok: true, value: simulateRows(input) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
