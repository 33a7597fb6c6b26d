// The hash worker as the tests start it: Node cannot run the TypeScript source
// by itself, so this loads it through tsx (the built package starts
// dist/node/hash-worker.js instead), and says on a channel that it started.
import { register } from "tsx/esm/api";

register();
const started = new BroadcastChannel("cosmic-sync-hash-worker");
started.postMessage("started");
started.close();
await import("../../src/node/hash-worker.ts");
