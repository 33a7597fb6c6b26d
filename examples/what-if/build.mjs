// Bundles the page into dist/: app.js (from src/main.ts and the installed
// cosmic-allocation package), index.html and styles.css; and the page that
// uses no bundler, plain.html, beside a copy of the package's own ESM file
// (vendor/cosmic-allocation/index.js) that its import map names. `--serve`
// then serves dist/ on 127.0.0.1 (PORT, default 5173) and prints the URL.
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { serveStatic } from "./serve.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** Builds the page; returns the dist folder. */
export async function build() {
  const dist = here("./dist/");
  await rm(dist, { recursive: true, force: true });
  await mkdir(dist, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [here("./src/main.ts")],
    outfile: here("./dist/app.js"),
    bundle: true,
    format: "esm",
    // The browser build: a Node built-in reached from the library would fail here.
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  for (const file of ["index.html", "plain.html", "styles.css"]) {
    await copyFile(here(`./src/${file}`), here(`./dist/${file}`));
  }
  // The file a plain <script type="module"> imports: the package's ESM build as published.
  const library = fileURLToPath(import.meta.resolve("cosmic-allocation"));
  const vendor = here("./dist/vendor/cosmic-allocation/");
  await mkdir(vendor, { recursive: true });
  await copyFile(library, join(vendor, "index.js"));
  const bytes = result.metafile.outputs["dist/app.js"]?.bytes;
  return { dist, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { dist, bytes } = await build();
  console.log(`what-if: built ${dist} (app.js ${bytes ?? "?"} bytes)`);
  if (process.argv.includes("--serve")) {
    const server = await serveStatic(dist, Number(process.env.PORT ?? 5173));
    console.log(`what-if: open ${server.url} (Ctrl+C to stop)`);
  }
}
