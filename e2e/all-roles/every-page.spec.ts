// Every page, for every role, as a new user sees it: no serious or critical accessibility violation (axe-core,
// WCAG 2.1 A/AA), nothing wider than the window and no text cut off at 1,440 and 1,024 px. Each page is also screenshotted at both
// widths. A test collects every problem of its role before failing, so one run lists them all.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { requestFormHref } from "@/lib/requests/draft-link";
import { gotoHydrated, shots, uniqueSuffix } from "../shared/pages";
import { signIn } from "../shared/sign-in";

const roles = {
  "ml-engineer": "engineer@demo.local",
  finance: "finance@demo.local",
  sre: "sre@demo.local",
  "platform-admin": "admin@demo.local",
} as const;

const widths = [1440, 1024] as const;

/** Detail pages reached from list pages: the first link of each kind the role can see. */
const detailPatterns = [
  /^\/requests\/(?!new\b)[^/?#]+$/,
  /^\/clusters\/[^/?#]+$/,
  /^\/drills\/plans\/[^/?#]+$/,
  /^\/drills\/runs\/[^/?#]+$/,
];

/**
 * Request pages every role opens, whatever other specs left in the database: one waiting for approval and one whose
 * apply failed on the GPU quota (the failure panel, its recoveries and the timeline are the widest content).
 */
const requestPages: string[] = [];

async function submitRequest(page: Page, href: string, title: string): Promise<string> {
  await gotoHydrated(page, href);
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  return new URL(page.url()).pathname;
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = uniqueSuffix();
  const engineer = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(engineer, "engineer@demo.local");
  const pending = await submitRequest(engineer, "/requests/new?kind=inference_scaling", `Every page pending ${suffix}`);
  // 12 single-GPU replicas at minimum scale in ml-inference, whose quota leaves 6: the apply stops on the quota.
  const failed = await submitRequest(
    engineer,
    requestFormHref(
      {
        cluster_name: `every-${suffix}`,
        model_server: { name: `every-${suffix}`, gpus_per_replica: 1 },
        scale_requirements: { min_replicas: 12, max_replicas: 12 },
      },
      "inference_scaling",
    ),
    `Every page over quota ${suffix}`,
  );
  await engineer.close();
  const admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  const id = failed.split("/").pop()!;
  const approved = await admin.request.post(`/api/v1/requests/${id}/approve`, {
    data: { comment: "Every-page sweep", overrideReason: "Sandbox only: the sweep needs a failed request" },
  });
  expect(approved.status(), await approved.text()).toBe(200);
  await expect
    .poll(
      async () => ((await (await admin.request.get(`/api/v1/requests/${id}`)).json()) as { status: string }).status,
      {
        timeout: 120_000,
      },
    )
    .toBe("apply_failed");
  await admin.close();
  requestPages.push(pending, failed);
});

async function pagesOf(page: Page): Promise<string[]> {
  const nav = await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const pages = new Set(nav);
  if (pages.has("/requests")) {
    pages.add("/requests/new");
    for (const p of requestPages) pages.add(p);
  }
  for (const list of ["/requests", "/clusters", "/drills"].filter((p) => pages.has(p))) {
    await gotoHydrated(page, list);
    const hrefs = await page
      .locator("main a[href^='/']")
      .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    for (const pattern of detailPatterns) {
      const first = hrefs.find((h) => pattern.test(h));
      if (first) pages.add(first);
    }
  }
  return [...pages];
}

async function widthProblem(page: Page, width: number): Promise<string | null> {
  const measured = await page.evaluate(() => {
    const root = document.documentElement;
    // The widest element that sticks out of the window, to say what to fix.
    let culprit = "";
    let widest = root.clientWidth;
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const right = el.getBoundingClientRect().right;
      if (right > widest + 1 && getComputedStyle(el).position !== "fixed") {
        widest = right;
        culprit = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.split(" ").join(".")}` : ""}`;
      }
    }
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, culprit };
  });
  return measured.scrollWidth > measured.clientWidth
    ? `${measured.scrollWidth} px wide at ${width} px (widest: ${measured.culprit || "unknown"})`
    : null;
}

/**
 * Text cut off inside the page though nothing sticks out of the window: table cells whose content is wider than the
 * cell, text inputs whose value is wider than the box, selects in cells whose option does not fit the arrow, and tabs
 * out of sight.
 */
async function clippedText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d")!;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.getAttribute("aria-label") ? `[aria-label="${el.getAttribute("aria-label")}"]` : ""}`;
    const out: string[] = [];
    // Not rendered (a closed <details>, display: none) is not cut off.
    const visible = (el: Element) => el.checkVisibility();
    for (const el of Array.from(document.querySelectorAll("main td, main th"))) {
      const style = getComputedStyle(el);
      if (!visible(el) || style.overflowX === "auto" || style.overflowX === "scroll") continue;
      if (el.scrollWidth > el.clientWidth + 1)
        out.push(`${name(el)} "${(el.textContent ?? "").trim().slice(0, 40)}" is cut off`);
    }
    for (const el of Array.from(
      document.querySelectorAll<HTMLInputElement>("main input[type='text'], main input:not([type])"),
    )) {
      if (visible(el) && el.value && el.scrollWidth > el.clientWidth + 1)
        out.push(`${name(el)} "${el.value}" is cut off`);
    }
    // Every tab is in sight: one scrolled or cut out of its list is a tab nobody finds.
    for (const list of Array.from(document.querySelectorAll("main [role='tablist']"))) {
      if (!visible(list)) continue;
      const box = list.getBoundingClientRect();
      for (const tab of Array.from(list.querySelectorAll<HTMLElement>("[role='tab']"))) {
        const r = tab.getBoundingClientRect();
        if (!visible(tab) || r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1)
          out.push(`${name(list)} hides its tab "${(tab.textContent ?? "").trim()}"`);
      }
    }
    for (const el of Array.from(document.querySelectorAll<HTMLSelectElement>("main td select"))) {
      const text = el.selectedOptions[0]?.textContent ?? "";
      if (!visible(el) || !text) continue;
      const style = getComputedStyle(el);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      // The arrow takes about 20 px of the box in Chromium.
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
      if (canvas.measureText(text).width > room + 1) out.push(`${name(el)} "${text}" is cut off`);
    }
    return out;
  });
}

/** A stat card alone in one slot of a last row (the fourth KPI under three) reads as a leftover: rows balance. */
async function orphanedStats(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>("main .grid"))
      .filter((g) => g.children.length > 1 && Array.from(g.children).every((c) => c.classList.contains("stat")))
      .flatMap((g) => {
        const tops = Array.from(g.children).map((c) => Math.round(c.getBoundingClientRect().top));
        const last = g.lastElementChild!.getBoundingClientRect();
        const alone = tops.filter((t) => t === tops.at(-1)).length === 1 && new Set(tops).size > 1;
        return alone && last.width < g.getBoundingClientRect().width * 0.6
          ? [`stat card "${(g.lastElementChild!.textContent ?? "").trim().slice(0, 30)}" sits alone on its row`]
          : [];
      }),
  );
}

/** The live preview must be read before Submit: beside it (wide) or above it (narrow), never below. */
async function previewAfterSubmit(page: Page): Promise<string | null> {
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  const preview = await page.getByTestId("plan-preview").boundingBox();
  const submit = await page.getByRole("button", { name: "Submit for approval" }).boundingBox();
  if (!preview || !submit) return "the live preview or Submit is not shown";
  const beside = preview.x >= submit.x + submit.width;
  const above = preview.y + preview.height <= submit.y;
  return beside || above ? null : "the live preview sits below Submit";
}

for (const [role, email] of Object.entries(roles)) {
  test(`${role}: every page is accessible and fits 1,440 and 1,024 px`, async ({ page }) => {
    // The admin sees a dozen pages, each loaded twice and checked by axe: minutes on a loaded machine.
    test.setTimeout(600_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, email);
    const problems: string[] = [];
    for (const path of await pagesOf(page)) {
      for (const width of widths) {
        await page.setViewportSize({ width, height: 900 });
        const response = await gotoHydrated(page, path);
        if ((response?.status() ?? 200) >= 400) problems.push(`${path}: HTTP ${response?.status()}`);
        // Streamed cards (live cluster reads) finish before the page is judged.
        await expect(page.locator("[aria-busy='true'], [role='status'][aria-label^='Reading']")).toHaveCount(0);
        const tooWide = await widthProblem(page, width);
        if (tooWide) problems.push(`${path}: ${tooWide}`);
        for (const clipped of await clippedText(page)) problems.push(`${path} at ${width} px: ${clipped}`);
        for (const orphan of await orphanedStats(page)) problems.push(`${path} at ${width} px: ${orphan}`);
        if (path === "/requests/new") {
          const hidden = await previewAfterSubmit(page);
          if (hidden) problems.push(`${path} at ${width} px: ${hidden}`);
        }
        await page.screenshot({
          path: `${shots}/every-page-${role}-${path.replace(/[^a-z0-9]+/gi, "_")}-${width}.png`,
          fullPage: true,
        });
        if (width !== 1440) continue;
        const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        for (const v of axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
          problems.push(
            `${path}: ${v.impact} ${v.id} (${v.help}) on ${v.nodes.length} element(s), e.g. ${v.nodes
              .slice(0, 2)
              .map((n) => n.target.join(" "))
              .join(", ")}`,
          );
        }
      }
    }
    expect(problems, problems.join("\n")).toEqual([]);
  });
}

test("the sign-in page is accessible and fits 1,024 px", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await gotoHydrated(page, "/signin");
  expect(await widthProblem(page, 1024)).toBeNull();
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});
