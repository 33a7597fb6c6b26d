import { describe, expect, it } from "vitest";
import { checkedPlan } from "../../test/sync/checked-plan";

// Before a file is written, what stands in its way leaves: a file where one
// of its folders goes, and the destination folders that must be emptied (one
// where the file goes, or one spelled otherwise when case folds). The
// deepest comes first, then the folders above; a file that only frees a path
// is deleted just before the write that needs it, and not before.

const plan = checkedPlan;

describe("a write clears its way deepest folder first", () => {
  it("a file where a folder goes is deleted just before the first write inside that folder, not before a write to a name that merely begins alike", () => {
    // "a-/c" sorts before "a/x": the folder "a-" is not the folder "a".
    expect(plan({ "a-/c": "h2", "a/x": "h1" }, { a: "h3" })).toEqual([
      { type: "copy", from: "a-/c", to: "a-/c", hash: "h2", replaces: null },
      { type: "delete", path: "a", hash: "h3" },
      { type: "copy", from: "a/x", to: "a/x", hash: "h1", replaces: null },
    ]);
  });

  it("when case folds, the file standing where the deepest folder goes leaves first, then the rest of the folder spelled otherwise, in path order", () => {
    expect(
      plan(
        { "a/b/c": "h1", m1: "h2", m2: "h3" },
        { "A/a": "h2", "A/b": "h3" },
        { caseInsensitive: true },
      ),
    ).toEqual([
      { type: "move", from: "A/b", to: "m2", hash: "h3", replaces: null },
      { type: "move", from: "A/a", to: "m1", hash: "h2", replaces: null },
      { type: "copy", from: "a/b/c", to: "a/b/c", hash: "h1", replaces: null },
    ]);
  });

  it("when case folds, a folder spelled otherwise is emptied in path order, the folder where the file goes included, before the file is written", () => {
    expect(
      plan({ "a/x": "h1" }, { "A/b": "h2", "A/x/y": "h3" }, { caseInsensitive: true }),
    ).toEqual([
      { type: "delete", path: "A/b", hash: "h2" },
      { type: "delete", path: "A/x/y", hash: "h3" },
      { type: "copy", from: "a/x", to: "a/x", hash: "h1", replaces: null },
    ]);
    expect(
      plan({ "a/b/c": "h1" }, { "A/a": "h2", "A/b": "h3" }, { caseInsensitive: true }),
    ).toEqual([
      { type: "delete", path: "A/a", hash: "h2" },
      { type: "delete", path: "A/b", hash: "h3" },
      { type: "copy", from: "a/b/c", to: "a/b/c", hash: "h1", replaces: null },
    ]);
  });

  it("when case folds, a file that moves into the new spelling of its own folder waits at one temporary name, once", () => {
    expect(
      plan({ "a/a": "h1", "a/B/a": "h4" }, { "A/B": "h4" }, { caseInsensitive: true }),
    ).toEqual([
      { type: "move", from: "A/B", to: ".cosmic-sync-tmp/1", hash: "h4", replaces: null },
      { type: "copy", from: "a/a", to: "a/a", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a/B/a", hash: "h4", replaces: null },
    ]);
  });

  it("when case folds, two files trading places across their folder's new spelling are parked deepest wait first", () => {
    // a/b/a needs A/b out of the way (a folder of it) before the folder A is emptied.
    expect(
      plan({ "a/b/a": "h1", "a/a": "h4" }, { "A/a": "h1", "A/b": "h4" }, { caseInsensitive: true }),
    ).toEqual([
      { type: "move", from: "A/b", to: ".cosmic-sync-tmp/1", hash: "h4", replaces: null },
      { type: "move", from: "A/a", to: ".cosmic-sync-tmp/2", hash: "h1", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/1", to: "a/a", hash: "h4", replaces: null },
      { type: "move", from: ".cosmic-sync-tmp/2", to: "a/b/a", hash: "h1", replaces: null },
    ]);
  });

  it("a folder where a file goes is emptied by its moves first, then its deletes, each in path order", () => {
    expect(
      plan({ a: "h1", m: "h2", n: "h4" }, { "a/0": "h3", "a/1": "h2", "a/2": "h4", "a/3": "h5" }),
    ).toEqual([
      { type: "move", from: "a/1", to: "m", hash: "h2", replaces: null },
      { type: "move", from: "a/2", to: "n", hash: "h4", replaces: null },
      { type: "delete", path: "a/0", hash: "h3" },
      { type: "delete", path: "a/3", hash: "h5" },
      { type: "copy", from: "a", to: "a", hash: "h1", replaces: null },
    ]);
  });
});
