// A local endpoint that answers the few GitHub REST calls the portal makes for one repository, the way GitHub does:
// list the open pull requests of a branch, open one, read one (with whether it was merged), comment on one, close
// one, compare two commits. It records what was opened, commented and closed, so a test can check the title, head and base, the comment
// and who closed it, and `merge` marks a pull request merged as a person would.
import type http from "node:http";
import { serveHttp, type FakeServer } from "./fake-http-server";

interface PullRecord {
  number: number;
  body: Record<string, unknown>;
  merged: boolean;
  closed: boolean;
  mergeSha: string | null;
  mergedAt: string | null;
  /** Comments posted on it (through the issues API, as GitHub takes them), in order. */
  comments: string[];
  /** Whether the portal closed it (PATCH state=closed), as opposed to `closeUnmerged`. */
  closedByApi: boolean;
}

export interface GitHubApiDouble extends FakeServer {
  pulls: PullRecord[];
  /** Every call as "METHOD /path", in order, so a test can count the reads it caused. */
  requests: string[];
  /** The html_url GitHub would give pull request `number`. */
  pullUrl(number: number): string;
  /** Marks it merged, as GitHub does when a person merges: `mergeSha` is the commit the merge made on the base. */
  merge(number: number, mergeSha?: string, at?: Date): void;
  /** Closes it without merging. */
  closeUnmerged(number: number): void;
  /**
   * How GitHub's comparison of two commits answers (GET /compare/base...head): "identical", "ahead" (head holds
   * base), "behind" or "diverged"; null answers 404, as GitHub does for a commit it does not know. A test sets it
   * from the real repository's history. Unset, every comparison is a 404.
   */
  compare: ((base: string, head: string) => "identical" | "ahead" | "behind" | "diverged" | null) | null;
  /** Answer every call with this status (e.g. 503) until set back to null. */
  failWith: number | null;
}

/** `firstNumber` is the number the first pull request gets, so a test can tell it from a count. */
export async function startGitHubApiDouble(repo: string, firstNumber = 41): Promise<GitHubApiDouble> {
  const pulls: PullRecord[] = [];
  const requests: string[] = [];
  const base = `/repos/${repo}/pulls`;
  const pullUrl = (number: number) => `https://github.example/${repo}/pull/${number}`;
  const view = (p: PullRecord) => ({
    number: p.number,
    html_url: pullUrl(p.number),
    state: p.merged || p.closed ? "closed" : "open",
    merged: p.merged,
    merge_commit_sha: p.mergeSha,
    merged_at: p.mergedAt,
    head: { ref: p.body.head },
    base: { ref: p.body.base },
  });
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      requests.push(`${req.method} ${url.pathname}`);
      res.setHeader("content-type", "application/json; charset=utf-8");
      if (double.failWith !== null) {
        res.statusCode = double.failWith;
        return res.end(JSON.stringify({ message: "Service Unavailable" }));
      }
      if (req.method === "GET" && url.pathname === base) {
        const head = url.searchParams.get("head")?.split(":").pop();
        return res.end(JSON.stringify(pulls.filter((p) => !p.merged && !p.closed && p.body.head === head).map(view)));
      }
      if (req.method === "POST" && url.pathname === base) {
        const record = { number: firstNumber + pulls.length, body: JSON.parse(text) as Record<string, unknown> };
        const pull = {
          ...record,
          merged: false,
          closed: false,
          mergeSha: null,
          mergedAt: null,
          comments: [],
          closedByApi: false,
        };
        pulls.push(pull);
        res.statusCode = 201;
        return res.end(JSON.stringify(view(pull)));
      }
      const compared =
        req.method === "GET"
          ? url.pathname.match(new RegExp(`^/repos/${repo}/compare/([^/]+?)\\.\\.\\.([^/]+)$`))
          : null;
      if (compared) {
        const [base, head] = [decodeURIComponent(compared[1] ?? ""), decodeURIComponent(compared[2] ?? "")];
        const status = double.compare?.(base, head) ?? null;
        if (status)
          return res.end(
            JSON.stringify({
              status,
              base_commit: { sha: base },
              merge_base_commit: { sha: base },
              commits: [],
              files: [],
            }),
          );
      }
      const comment =
        req.method === "POST" ? url.pathname.match(new RegExp(`^/repos/${repo}/issues/(\\d+)/comments$`)) : null;
      const commented = comment ? pulls.find((p) => p.number === Number(comment[1])) : undefined;
      if (commented) {
        const { body } = JSON.parse(text) as { body?: string };
        commented.comments.push(body ?? "");
        res.statusCode = 201;
        return res.end(JSON.stringify({ id: commented.comments.length, body }));
      }
      const one = ["GET", "PATCH"].includes(req.method ?? "")
        ? url.pathname.match(new RegExp(`^${base}/(\\d+)$`))
        : null;
      const found = one ? pulls.find((p) => p.number === Number(one[1])) : undefined;
      if (found && req.method === "PATCH") {
        const { state } = JSON.parse(text) as { state?: string };
        if (state === "closed" && !found.merged) {
          found.closed = true;
          found.closedByApi = true;
        }
      }
      if (found) return res.end(JSON.stringify(view(found)));
      res.statusCode = 404;
      res.end(JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com/rest" }));
    });
  };
  const server = await serveHttp("127.0.0.1", answer);
  const find = (number: number) => {
    const found = pulls.find((p) => p.number === number);
    if (!found) throw new Error(`no pull request #${number}`);
    return found;
  };
  const double: GitHubApiDouble = {
    ...server,
    pulls,
    requests,
    pullUrl,
    failWith: null,
    compare: null,
    merge(number, mergeSha, at = new Date()) {
      const found = find(number);
      found.merged = true;
      found.mergeSha = mergeSha ?? null;
      found.mergedAt = at.toISOString();
    },
    closeUnmerged(number) {
      find(number).closed = true;
    },
  };
  return double;
}
