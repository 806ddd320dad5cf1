"use client";
// The plan's HPA behavior (autoscaling.behavior), read-only: what the autoscaler does between polls, in words,
// with a button back to the reference design's behavior. It is set by "Use this profile" (Simulate against
// traffic) or a link from the Scaling page; it is tuned there, against traffic, rather than typed here.
import { get, useFormContext, useFormState, useWatch } from "react-hook-form";
import { errorMessagesUnder, summarizeBehavior } from "./hpa-behavior-summary";
import { Button } from "@/components/ui/button";

const name = "input.autoscaling.behavior";

export function HpaBehaviorField() {
  const { control, setValue } = useFormContext();
  const behavior: unknown = useWatch({ control, name });
  const { errors } = useFormState({ control, name });
  const messages = errorMessagesUnder(get(errors, name));
  const summary = summarizeBehavior(behavior);
  const custom = behavior !== undefined;
  return (
    <div
      className="field"
      role="group"
      aria-labelledby="hpa-behavior-label"
      aria-describedby="hpa-behavior-help"
      data-testid="hpa-behavior"
    >
      <span className="fw-600" id="hpa-behavior-label">
        Scaling behavior (HPA){custom ? "" : ": reference default"}
      </span>
      {summary && (
        <dl className="kv">
          <dt>Scale-up</dt>
          <dd>{summary.scaleUp}</dd>
          <dt>Scale-down</dt>
          <dd>{summary.scaleDown}</dd>
        </dl>
      )}
      <div className="help" id="hpa-behavior-help">
        How fast replicas are added and removed once KEDA asks for a change. Tune it with Simulate against traffic or on
        the Scaling page.
      </div>
      {messages.map((message, i) => (
        <div className="field-error" role="alert" key={i}>
          {message}
        </div>
      ))}
      {custom && (
        <div>
          <Button onClick={() => setValue(name, undefined, { shouldValidate: true, shouldDirty: true })}>
            Reset to the reference behavior
          </Button>
        </div>
      )}
    </div>
  );
}
