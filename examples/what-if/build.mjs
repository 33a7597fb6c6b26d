// Bundles the page into dist/: app.js (from src/main.ts and the installed
// cosmic-allocation package), index.html and styles.css. `--serve` then serves
// dist/ on 127.0.0.1 (PORT, default 5173) and prints the URL.
import { copyFile, mkdir, rm } from "node:fs/promises";
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
  await copyFile(here("./src/index.html"), here("./dist/index.html"));
  await copyFile(here("./src/styles.css"), here("./dist/styles.css"));
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
