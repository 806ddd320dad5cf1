// The sandbox cluster's objects in a JSON file, so `npm start` after a restart finds what earlier applies created
// (and drift checks compare against it, not against an empty cluster). Written after changes, debounced, and
// atomically (a temporary file renamed over the old one), so a crash mid-write leaves the previous state.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClusterSnapshot, ClusterState } from "./cluster-state";

/** The saved snapshot, or null when there is none (first start) or it is not one this code wrote. */
export function loadClusterState(file: string): ClusterSnapshot | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as ClusterSnapshot;
    return parsed?.version === 1 && Array.isArray(parsed.objects) ? parsed : null;
  } catch {
    return null;
  }
}

export function saveClusterState(file: string, state: ClusterState) {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state.snapshot()), { mode: 0o600 });
  renameSync(temporary, file);
}

/** Saves the state `debounceMs` after the last write; flush() saves now if a save is pending (on shutdown). */
export function persistOnChange(file: string, state: ClusterState, debounceMs = 500) {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    timer = null;
    saveClusterState(file, state);
  };
  state.onWrite(() => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  });
  return {
    flush() {
      if (!timer) return;
      clearTimeout(timer);
      save();
    },
  };
}
