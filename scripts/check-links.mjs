// Checks that every link in README.md, CONTRIBUTING.md and docs/*.md resolves,
// as GitHub and the npm page render them:
//
//   node scripts/check-links.mjs [file.md ...]
//
// - a relative link names a file or folder that exists in the tree (not one
//   git ignores, such as the generated docs/api: it is not on GitHub);
// - a link to this repository on GitHub (REPOSITORY below, /blob/<branch>/ or
//   /tree/<branch>/) names a path that exists in the tree, as the README's links
//   must be absolute to work on the npm page;
// - an anchor (#...) names a heading of the target Markdown file under
//   GitHub's slug rules (lower case, punctuation dropped, spaces to hyphens,
//   -1, -2 for repeats), or an explicit id/name in its HTML;
// - links elsewhere are not fetched (CI has no network to spare), only checked
//   to be well-formed http(s) or mailto URLs.
//
// Links inside code blocks and code spans are not links, and are skipped.
// Exits 1 listing each broken link with its file and line.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const REPOSITORY = "https://github.com/cosmic-allocation/cosmic-allocation";
// Pages of the repository on GitHub that are not files in the tree.
const REPOSITORY_PAGES = new Set(["", "issues", "issues/new", "pulls", "actions", "releases"]);

const defaultFiles = () => [
  "README.md",
  ...(existsSync(join(root, "CONTRIBUTING.md")) ? ["CONTRIBUTING.md"] : []),
  ...readdirSync(join(root, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`),
];
const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles();

/** Whether git ignores a path (so it is not in the repository on GitHub). */
function ignored(path) {
  try {
    execFileSync("git", ["check-ignore", "-q", path], { cwd: root, stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The text with fenced code blocks blanked, line numbers kept, and front matter dropped. */
function withoutCode(text) {
  const lines = text.split("\n");
  let fence = null;
  if (lines[0] === "---") {
    const end = lines.indexOf("---", 1);
    if (end > 0) for (let index = 0; index <= end; index += 1) lines[index] = "";
  }
  return lines.map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (opener !== null && opener[1][0] === fence[0] && opener[1].length >= fence.length) {
        fence = null;
      }
      return "";
    }
    if (opener !== null) {
      fence = opener[1];
      return "";
    }
    // Inline code spans are not links; keep the line's length irrelevant.
    return line.replace(/(`+)(?:(?!\1).)+?\1/g, "code");
  });
}

/** The heading's text as GitHub renders it, before slugging. */
function renderedHeading(markdown) {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/\*(.+?)\*/g, "$1")
    .replace(/(^|[^\p{L}\p{N}])_(.+?)_(?=[^\p{L}\p{N}]|$)/gu, "$1$2")
    .trim();
}

/** GitHub's anchor for a heading (github-slugger): punctuation other than - and _ goes. */
const slug = (heading) =>
  renderedHeading(heading)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");

const anchorCache = new Map();
/** Every anchor of a Markdown file: its headings' slugs and explicit HTML ids. */
function anchorsOf(path) {
  if (anchorCache.has(path)) return anchorCache.get(path);
  const raw = readFileSync(path, "utf8").split("\n");
  const lines = withoutCode(readFileSync(path, "utf8"));
  const anchors = new Set();
  const seen = new Map();
  const add = (heading) => {
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  };
  lines.forEach((line, index) => {
    const atx = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$/.exec(raw[index]);
    if (line !== "" && atx !== null) add(atx[1]);
    else if (
      line.trim() !== "" &&
      !/^\s{0,3}([-*_]\s*){3,}$/.test(line) &&
      /^\s{0,3}(=+|-+)\s*$/.test(lines[index + 1] ?? "") &&
      !/^\s*([-*+]|\d+\.)\s/.test(line)
    ) {
      add(raw[index]);
    }
    for (const match of line.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi))
      anchors.add(match[1]);
  });
  anchorCache.set(path, anchors);
  return anchors;
}

/** Every link target of a file, with its line number. */
function linksOf(path) {
  const links = [];
  withoutCode(readFileSync(path, "utf8")).forEach((line, index) => {
    const add = (target) => links.push({ target, line: index + 1 });
    // Inline links and images: [text](target "title"), with one level of brackets in the text.
    for (const match of line.matchAll(
      /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g,
    )) {
      add(match[1].replace(/^<|>$/g, ""));
    }
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?([^>\s]+)>?/.exec(line);
    if (definition !== null) add(definition[1]);
    for (const match of line.matchAll(/<(https?:\/\/[^>\s]+)>/g)) add(match[1]);
    for (const match of line.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/gi)) add(match[1]);
  });
  return links;
}

/** Why the file (or folder) and anchor a link names do not resolve, or null if they do. */
function problemWith(absolute, anchor, shown, inRepository = true) {
  if (!existsSync(absolute)) return `${shown} does not exist`;
  const inTree = relative(root, absolute);
  if (inTree.startsWith("..")) return `${shown} is outside the repository`;
  if (inRepository && inTree !== "" && ignored(inTree))
    return `${shown} is ignored by git, so not on GitHub`;
  if (anchor === undefined || anchor === "") return null;
  if (statSync(absolute).isDirectory() || !absolute.endsWith(".md")) {
    // GitHub's line anchors (#L10, #L10-L20) on source files.
    return /^L\d+(-L\d+)?$/.test(anchor) ? null : `${shown}#${anchor}: not a Markdown file`;
  }
  return anchorsOf(absolute).has(decodeURIComponent(anchor))
    ? null
    : `${shown} has no heading with anchor #${anchor}`;
}

function check(file, target) {
  const [pathPart, anchor] = target.split(/#(.*)/s);
  if (
    target.startsWith(`${REPOSITORY}/`) ||
    target === REPOSITORY ||
    target.startsWith(`${REPOSITORY}#`)
  ) {
    const rest = target.slice(REPOSITORY.length).replace(/^\//, "");
    const [page, pageAnchor] = rest.split(/#(.*)/s);
    const inTree = /^(?:blob|tree)\/[^/]+\/(.*)$/.exec(page);
    if (inTree !== null) {
      const path = decodeURIComponent(inTree[1]).replace(/\/$/, "");
      return problemWith(join(root, path), pageAnchor, `${path} (from ${target})`);
    }
    if (page === "" && pageAnchor !== undefined) {
      // The repository's front page shows README.md, and GitHub prefixes nothing.
      return pageAnchor === "readme"
        ? null
        : problemWith(join(root, "README.md"), pageAnchor, "README.md");
    }
    return REPOSITORY_PAGES.has(page.replace(/\/$/, ""))
      ? null
      : `${target}: not a file of the repository (use ${REPOSITORY}/blob/main/<path>)`;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    if (/^mailto:[^@\s]+@[^@\s]+$/.test(target)) return null;
    try {
      const url = new URL(target);
      return url.protocol === "https:" || url.protocol === "http:"
        ? null
        : `${target}: an unexpected scheme`;
    } catch {
      return `${target}: not a URL`;
    }
  }
  if (target.startsWith("/")) return `${target}: a root-relative link breaks on the npm page`;
  const path =
    pathPart === "" ? file : resolve(dirname(join(root, file)), decodeURIComponent(pathPart));
  if (pathPart === "") return problemWith(path, anchor, file, false);
  return problemWith(path, anchor, relative(root, path).split(sep).join("/"));
}

const broken = [];
let checked = 0;
for (const file of files) {
  for (const { target, line } of linksOf(join(root, file))) {
    checked += 1;
    const problem = check(file, target);
    if (problem !== null) broken.push(`${file}:${line}: ${target}: ${problem}`);
  }
}
if (broken.length > 0) {
  console.error(`check-links: ${broken.length} of ${checked} links are broken:`);
  for (const line of broken) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-links: all ${checked} links in ${files.length} files resolve`);
