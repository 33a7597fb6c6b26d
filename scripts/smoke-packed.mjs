// Installs the packed tarball into a scratch project, as a user would, and
// checks every entry (root, /sync, /node, /testing) in both module systems: ESM
// import, CJS require, the cosmic-sync bin, and the type declarations under
// Node16 resolution for .mts and .cts files.
//
//   node scripts/smoke-packed.mjs        (after npm run build)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "cosmic-allocation-smoke-"));
const run = (command, args, cwd = scratch) =>
  execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const ok = (message) => console.log(`smoke: ${message}`);

try {
  run("npm", ["pack", "--pack-destination", scratch, "--silent"], root);
  const tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"));
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "smoke", private: true }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, tarball)]);
  ok(`installed ${tarball} into a scratch project`);

  const uses = {
    root: `
      const line = new root.OrderLine("o1", "LAMP", 2);
      const batch = new root.Batch("b1", "LAMP", 10);
      if (root.allocate(line, [batch]) !== "b1" || batch.availableQuantity !== 8) throw new Error("allocate");
      const store = new root.InMemoryStore();
      await root.services.addBatch({ ref: "b1", sku: "LAMP", qty: 1 }, () => store.unitOfWork());
      if ("determineActions" in root) throw new Error("the root entry is the allocation domain alone");`,
    sync: `
      if (sync.determineActions({ "a.txt": "h1" }, {}).length !== 1) throw new Error("determineActions");
      if (sync.withBackups(sync.determineActions({}, { "a.txt": "h1" }))[0].type !== "backup") throw new Error("withBackups");
      try { sync.determineActions({ "../x": "h1" }, {}); throw new Error("no UnsafePath"); }
      catch (error) { if (!(error instanceof root.CosmicError) || !sync.UnsafePath.is(error)) throw error; }`,
    node: `
      if (typeof node.hashTree !== "function" || typeof node.syncDirectories !== "function") throw new Error("node entry");
      // A sync whose source walk runs long hashes the destination on a worker
      // thread, whose script must ship beside the entry: count the workers
      // started (the ESM binding follows the patched builtin), with a clock
      // that runs a second per reading, so that any walk is long.
      const threads = req("node:worker_threads");
      const { syncBuiltinESMExports } = req("node:module");
      const { mkdtempSync, readdirSync, writeFileSync } = req("node:fs");
      const { join } = req("node:path");
      const Original = threads.Worker;
      let started = 0;
      threads.Worker = class extends Original { constructor(...args) { super(...args); started += 1; } };
      syncBuiltinESMExports();
      const from = mkdtempSync(join(req("node:os").tmpdir(), "smoke-from-"));
      const to = mkdtempSync(join(req("node:os").tmpdir(), "smoke-to-"));
      for (let i = 0; i < 300; i++) writeFileSync(join(from, "f" + i), "content " + i);
      writeFileSync(join(to, "stale"), "old");
      const now = performance.now;
      let clock = now.call(performance);
      performance.now = () => (clock += 1000);
      const summary = await node.syncDirectories(from, to, { cache: false }).finally(() => {
        performance.now = now;
      });
      threads.Worker = Original;
      syncBuiltinESMExports();
      if (started !== 1) throw new Error("hash worker started " + started + " times, not once");
      if (summary.copied !== 300 || summary.deleted !== 1 || readdirSync(to).length !== 300) throw new Error("sync with a hash worker");`,
    testing: `
      const checks = testing.unitOfWorkContract(() => { const s = new root.InMemoryStore(); return () => s.unitOfWork(); });
      for (const check of checks) await check.run();`,
  };
  writeFileSync(
    join(scratch, "esm.mjs"),
    `import * as root from "cosmic-allocation";
     import * as sync from "cosmic-allocation/sync";
     import * as node from "cosmic-allocation/node";
     import * as testing from "cosmic-allocation/testing";
     import { createRequire } from "node:module";
     const req = createRequire(import.meta.url);
     ${uses.root}${uses.sync}${uses.node}${uses.testing}
     const cjs = req("cosmic-allocation");
     if (cjs.OutOfStock === root.OutOfStock) throw new Error("expected two copies");
     if (!root.OutOfStock.is(new cjs.OutOfStock("LAMP"))) throw new Error("is() across copies");
     console.log("esm ok");`,
  );
  writeFileSync(
    join(scratch, "cjs.cjs"),
    `const root = require("cosmic-allocation");
     const sync = require("cosmic-allocation/sync");
     const node = require("cosmic-allocation/node");
     const testing = require("cosmic-allocation/testing");
     const req = require;
     (async () => {${uses.root}${uses.sync}${uses.node}${uses.testing}
       console.log("cjs ok");
     })().catch((error) => { console.error(error); process.exit(1); });`,
  );
  run(process.execPath, ["esm.mjs"]);
  ok(
    "ESM: import of /, /sync, /node and /testing works, a long sync hashes on a worker thread, /sync's errors are the root's CosmicError, and is() recognises the CJS copy's errors",
  );
  run(process.execPath, ["cjs.cjs"]);
  ok("CJS: require of /, /sync, /node and /testing works, a long sync hashes on a worker thread");

  run(process.execPath, [join(scratch, "node_modules/.bin/cosmic-sync"), "--help"]);
  const source = join(scratch, "tree-a");
  mkdirSync(join(source, "sub"), { recursive: true });
  writeFileSync(join(source, "sub", "f.txt"), "hello");
  run(process.execPath, [
    join(scratch, "node_modules/.bin/cosmic-sync"),
    source,
    join(scratch, "tree-b"),
  ]);
  run("diff", ["-r", source, join(scratch, "tree-b")]);
  ok("the cosmic-sync bin runs and mirrors a folder");

  const typed = `import { Batch, OrderLine, allocate, services, type UnitOfWork } from "cosmic-allocation";
    import { determineActions, type SyncAction } from "cosmic-allocation/sync";
    import { hashTree } from "cosmic-allocation/node";
    import { unitOfWorkContract } from "cosmic-allocation/testing";
    const ref: string = allocate(new OrderLine("o", "S", 1), [new Batch("b", "S", 1)]);
    const plan: SyncAction[] = determineActions({ a: "h1" }, {});
    export const used: unknown[] = [ref, services.allocate, plan, hashTree, unitOfWorkContract, null as UnitOfWork | null];`;
  writeFileSync(join(scratch, "types.mts"), typed);
  writeFileSync(join(scratch, "types.cts"), typed);
  writeFileSync(
    join(scratch, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "node16",
        moduleResolution: "node16",
        target: "es2022",
        lib: ["es2022", "esnext.disposable"],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: ["types.mts", "types.cts"],
    }),
  );
  run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]);
  ok("the declarations type-check under Node16 resolution from .mts and .cts files");
} catch (error) {
  console.error(
    `smoke: FAILED\n${error.stdout ?? ""}${error.stderr ?? ""}${error.stdout || error.stderr ? "" : error}`,
  );
  process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
