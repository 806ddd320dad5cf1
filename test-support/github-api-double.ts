// A local endpoint that answers the few GitHub REST calls the portal makes for one repository, the way GitHub does:
// list the open pull requests of a branch, open one, read one (with whether it was merged). It records what was
// opened, so a test can check the title, head and base, and `merge` marks a pull request merged as a person would.
import type http from "node:http";
import { serveHttp, type FakeServer } from "./fake-http-server";

interface PullRecord {
  number: number;
  body: Record<string, unknown>;
  merged: boolean;
  closed: boolean;
  mergeSha: string | null;
  mergedAt: string | null;
}

export interface GitHubApiDouble extends FakeServer {
  pulls: PullRecord[];
  /** The html_url GitHub would give pull request `number`. */
  pullUrl(number: number): string;
  /** Marks it merged, as GitHub does when a person merges: `mergeSha` is the commit the merge made on the base. */
  merge(number: number, mergeSha?: string, at?: Date): void;
  /** Closes it without merging. */
  closeUnmerged(number: number): void;
  /** Answer every call with this status (e.g. 503) until set back to null. */
  failWith: number | null;
}

/** `firstNumber` is the number the first pull request gets, so a test can tell it from a count. */
export async function startGitHubApiDouble(repo: string, firstNumber = 41): Promise<GitHubApiDouble> {
  const pulls: PullRecord[] = [];
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
        const pull = { ...record, merged: false, closed: false, mergeSha: null, mergedAt: null };
        pulls.push(pull);
        res.statusCode = 201;
        return res.end(JSON.stringify(view(pull)));
      }
      const one = req.method === "GET" ? url.pathname.match(new RegExp(`^${base}/(\\d+)$`)) : null;
      const found = one ? pulls.find((p) => p.number === Number(one[1])) : undefined;
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
    pullUrl,
    failWith: null,
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
