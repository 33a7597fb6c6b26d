/**
 * The directory-sync planner, the second domain of this package beside
 * allocation (chapter 3 of *Architecture Patterns with Python*): the pure
 * `determineActions`, which plans how to mirror one tree of file hashes onto
 * another, with its types, its errors, and pure transformations of its plans.
 * The Node shell that reads and writes folders is `cosmic-allocation/node`.
 *
 * This entry is dependency-free and browser-safe: it uses no Node built-ins.
 *
 * @packageDocumentation
 * @module cosmic-allocation/sync
 */

export { ContentChanged } from "../errors/content-changed";
export { ExcludedPathInTheWay } from "../errors/excluded-path-in-the-way";
export { FileDirectoryClash } from "../errors/file-directory-clash";
export { NameCollision } from "../errors/name-collision";
export { type OccupiedBy, PathOccupied } from "../errors/path-occupied";
export { UnsafePath, type UnsafePathReason } from "../errors/unsafe-path";
export { assertSafePath } from "./assert-safe-path";
export { countDeletes } from "./count-deletes";
export { type DetermineActionsOptions, determineActions } from "./determine-actions";
export type { FileTree } from "./file-tree";
export { createPathFilter, type FilterRules, type PathFilter } from "./path-filter";
export type {
  BackedUpAction,
  BackupAction,
  CopyAction,
  DeleteAction,
  DuplicateAction,
  MoveAction,
  SyncAction,
} from "./sync-action";
export { withBackups } from "./with-backups";
