// Runs the recommendation search off the main thread: the page stays responsive for the second or so it takes.
import { recommendProfile, type RecommendScalingInput } from "@/lib/scaling/recommend-profile";

self.onmessage = (event: MessageEvent<RecommendScalingInput>) => {
  try {
    self.postMessage({ ok: true, value: recommendProfile({ ...event.data, clock: () => performance.now() }) });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
