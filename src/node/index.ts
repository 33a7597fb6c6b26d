/**
 * The imperative shell of the directory sync, for Node: hash real folders,
 * apply a plan from `determineActions` to them, or do both with
 * `syncDirectories`; `runCli` is the `cosmic-sync` command.
 *
 * @packageDocumentation
 * @module cosmic-allocation/node
 */

export { DeleteLimitExceeded } from "../errors/delete-limit-exceeded";
export type { AbortSignalLike } from "./abort-signal-like";
export {
  type ApplyOptions,
  type ApplyProgress,
  type ApplySummary,
  applyActions,
} from "./apply-actions";
export { type CliIo, runCli } from "./cli";
export type { KnownFiles } from "./destination-folder";
export {
  type FileStat,
  type HashedTree,
  type HashTreeOptions,
  hashTree,
  type SkippedEntry,
} from "./hash-tree";
export {
  type SkippedEntries,
  type SyncOptions,
  type SyncProgress,
  type SyncSummary,
  syncDirectories,
} from "./sync-directories";
