// Programmable faults: a rule matches requests (method, path, dry-run or not) and acts on the nth match
// (and the following `times - 1` matches): reply with a status, delay or hold it, or drop the connection.
export type FaultAction =
  | { type: "status"; code: number; reason?: string; message?: string; retryAfterSeconds?: number }
  | { type: "delay"; ms: number }
  /** Holds the request until `until` settles, then goes on: a test decides exactly when the request lands. */
  | { type: "hold"; until: Promise<unknown> }
  | { type: "drop" }
  /** Handles the request (state changes happen) but destroys the connection instead of answering. */
  | { type: "dropAfterHandling" };

export interface FaultRule {
  method?: string;
  /** Substring of, or a pattern for, the request path (without query). */
  path?: string | RegExp;
  /** Only dry-run requests (true), only real ones (false), or both (undefined). */
  dryRun?: boolean;
  /** Only server-side apply PATCHes (true). */
  applyOnly?: boolean;
  /** 1-based index among matching requests at which the fault starts. Default 1. */
  nth?: number;
  /** How many consecutive matching requests it affects from the nth on. Default 1; Infinity for all. */
  times?: number;
  action: FaultAction;
}

export interface RequestFacts {
  method: string;
  path: string;
  dryRun: boolean;
  apply: boolean;
}

export class FaultInjector {
  private rules: Array<FaultRule & { seen: number }> = [];

  inject(rule: FaultRule): () => void {
    const entry = { ...rule, seen: 0 };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  clear() {
    this.rules = [];
  }

  /** Returns the actions that apply to this request, counting it against every matching rule. */
  match(req: RequestFacts): FaultAction[] {
    const actions: FaultAction[] = [];
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== req.method) continue;
      if (rule.path && (typeof rule.path === "string" ? !req.path.includes(rule.path) : !rule.path.test(req.path)))
        continue;
      if (rule.dryRun !== undefined && rule.dryRun !== req.dryRun) continue;
      if (rule.applyOnly && !req.apply) continue;
      rule.seen++;
      const start = rule.nth ?? 1;
      const times = rule.times ?? 1;
      if (rule.seen >= start && rule.seen < start + times) actions.push(rule.action);
    }
    return actions;
  }
}
