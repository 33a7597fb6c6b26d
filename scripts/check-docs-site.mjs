// Opens the generated API site (docs/api/index.html, from `npm run docs`) in
// headless Chromium, saves a screenshot of its index to
// reports/docs-site-index.png, and checks what a reader sees there:
// - the sidebar lists every guide by the title of its front matter, in the
//   order typedoc.json's "guideOrder" gives (guides it does not list follow);
// - no guide page shows a stray "title: ..." heading (front matter that did
//   not parse) and each opens on its own heading.
//
//   node scripts/check-docs-site.mjs
//
// Needs Debian's chromium (CHROMIUM_PATH, default /usr/bin/chromium) and
// playwright-core; never run `playwright install`. Without Chromium the check
// is skipped with a message, except under CI=true, where it fails.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const site = join(root, "docs", "api", "index.html");
const screenshot = join(root, "reports", "docs-site-index.png");
const say = (message) => console.log(`check-docs-site: ${message}`);

if (!existsSync(chromiumPath)) {
  const why = `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === "true") {
    console.error(`check-docs-site: FAILED: ${why}`);
    process.exit(1);
  }
  say(`skipped: ${why}`);
  process.exit(0);
}
if (!existsSync(site)) {
  console.error("check-docs-site: docs/api/index.html is missing: run npm run docs first");
  process.exit(1);
}

/** The title of a guide's front matter, or undefined. */
function titleOf(path) {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(readFileSync(path, "utf8"));
  const line = match?.[1].split(/\r?\n/).find((text) => /^title:\s*/.test(text));
  return line?.replace(/^title:\s*/, "").replace(/^(["'])(.*)\1$/, "$2");
}

// The guides in the order the site must show them, as the plugin computes it.
const config = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8"));
const listed = (config.guideOrder ?? []).map((path) => resolve(root, path));
const unlisted = readdirSync(join(root, "docs"))
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => join(root, "docs", name))
  .filter((path) => !listed.includes(path));
const guides = [...listed.filter((path) => existsSync(path)), ...unlisted];
const problems = [];
const expected = guides.map((path) => {
  const title = titleOf(path);
  if (title === undefined) problems.push(`docs/${basename(path)} has no front matter title`);
  return title ?? basename(path, ".md");
});

const { chromium } = await import("playwright-core");
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(site).href);
  // The sidebar is filled in by script from assets/navigation.js.
  const sidebar = page.locator(".site-menu .tsd-navigation");
  await sidebar.locator("a").first().waitFor({ state: "visible", timeout: 15_000 });
  mkdirSync(join(root, "reports"), { recursive: true });
  await page.screenshot({ path: screenshot });

  const links = await sidebar.locator("a").evaluateAll((anchors) =>
    anchors.map((anchor) => ({
      text: anchor.textContent?.trim() ?? "",
      href: anchor.href,
      shown: anchor.getClientRects().length > 0,
    })),
  );
  const shown = links.filter((link) => link.shown && link.href.includes("documents/"));
  for (const title of expected) {
    if (!shown.some((link) => link.text === title)) {
      problems.push(`the sidebar does not show the guide "${title}"`);
    }
  }
  const order = shown.map((link) => link.text).filter((text) => expected.includes(text));
  if (problems.length === 0 && order.join("\n") !== expected.join("\n")) {
    problems.push(
      `the sidebar lists the guides as [${order.join(", ")}], expected [${expected.join(", ")}]`,
    );
  }
  for (const link of shown) {
    if (/^title:/i.test(link.text)) problems.push(`the sidebar shows "${link.text}"`);
  }

  // Each guide's page: its first heading is its own, not front matter gone wrong.
  for (const link of shown) {
    await page.goto(link.href);
    const headings = await page
      .locator(".col-content h1, .col-content h2")
      .evaluateAll((nodes) => nodes.map((node) => node.textContent?.trim() ?? ""));
    const stray = headings.find((text) => /^title:/i.test(text));
    const name = link.href.slice(link.href.indexOf("documents/"));
    if (stray !== undefined) problems.push(`${name} shows a stray heading "${stray}"`);
    if (headings.length === 0) problems.push(`${name} has no heading`);
  }
  if (errors.length > 0) problems.push(`the site threw: ${errors.join("; ")}`);
} finally {
  await browser.close();
}

if (problems.length > 0) {
  console.error(
    `check-docs-site: ${problems.length} problem(s) (screenshot: reports/docs-site-index.png):`,
  );
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
say(`the index shows ${expected.length} guides by title, in order: ${expected.join(", ")}`);
say("screenshot: reports/docs-site-index.png");
