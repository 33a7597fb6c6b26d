import { describe, expect, it } from "vitest";
import { KeyedQueue } from "../src/keyed-queue.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("KeyedQueue", () => {
  it("runs the work of one key one at a time, in arrival order", async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queue.run("k", job("1")), queue.run("k", job("2"))]);
    expect(results).toEqual(["1", "2"]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2"]);
  });

  it("runs the work of different keys side by side", async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run("a", job("a")), queue.run("b", job("b"))]);
    expect(log.slice(0, 2)).toEqual(["start a", "start b"]);
  });

  it("goes on after a failure, which reaches only its own caller", async () => {
    const queue = new KeyedQueue();
    const failed = queue.run("k", async () => {
      throw new Error("boom");
    });
    const next = queue.run("k", async () => "next");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("next");
  });

  it("forgets a key once its work is done", async () => {
    const queue = new KeyedQueue();
    await queue.run("k", async () => undefined);
    await tick();
    expect(queue.size).toBe(0);
  });
});
