#!/usr/bin/env node
import { runCli } from "./cli";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stderr.isTTY === true,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
});
