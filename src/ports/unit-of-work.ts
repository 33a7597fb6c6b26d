import type { DomainEvent } from "../domain/events";
import type { ProductRepository } from "./product-repository";

/**
 * The unit-of-work port: one transaction over the products (the book's chapter 6).
 *
 * The semantics every adapter keeps, which {@link cosmic-allocation/testing!unitOfWorkContract} checks:
 * - nothing persists without an explicit `commit()`;
 * - leaving without commit rolls back: `await using uow = await factory()`
 *   calls `[Symbol.asyncDispose]`, which rolls back whatever was not committed;
 * - an error inside rolls back and still propagates;
 * - a commit is atomic: all of it is applied or none of it;
 * - a commit over a product that another unit of work committed since this one
 *   read it (its version moved), or over a sku another one created first,
 *   throws {@link ConcurrencyConflict} and applies nothing;
 * - after `commit()` or `rollback()` the unit of work is closed: using it again
 *   throws {@link UnitOfWorkClosed};
 * - after a commit, {@link UnitOfWork.collectNewEvents} hands out the new events
 *   of every product it loaded or added, in the order they were recorded (the
 *   book's `collect_new_events`); after a rollback, none.
 *
 * Adapters rarely implement this by hand: {@link trackUnitOfWork} builds it
 * from a {@link ProductStorage}.
 *
 * @example
 * ```ts
 * import { Batch, InMemoryStore, Product } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * {
 *   await using uow = store.unitOfWork();
 *   await uow.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 10)]));
 *   // no commit: rolled back when the block ends
 * }
 * await using uow = store.unitOfWork();
 * console.log(await uow.products.get("LAMP")); // undefined
 * ```
 */
export interface UnitOfWork {
  /** The products, as this unit of work sees them. */
  readonly products: ProductRepository;

  /**
   * Saves every change made through {@link UnitOfWork.products}, atomically, and closes the unit of work.
   *
   * @throws {@link ConcurrencyConflict} when another unit of work committed a change to the same product first
   */
  commit(): Promise<void>;

  /**
   * Hands out, once, the events the commit stored: those every product this
   * unit of work loaded or added recorded, in the order they were recorded.
   * Before a commit, after a rollback, and on a second call: an empty list.
   *
   * @returns the committed events, oldest first
   */
  collectNewEvents(): readonly DomainEvent[];

  /** Discards every uncommitted change and closes the unit of work. */
  rollback(): Promise<void>;

  /** Rolls back unless the unit of work already committed or rolled back; for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Opens a new unit of work: one call, one transaction. The service layer takes
 * one of these and calls it once per attempt.
 *
 * @example
 * ```ts
 * import { InMemoryStore, type UnitOfWorkFactory } from "cosmic-allocation";
 *
 * const store = new InMemoryStore();
 * const uow: UnitOfWorkFactory = () => store.unitOfWork();
 * ```
 */
export type UnitOfWorkFactory = () => UnitOfWork | Promise<UnitOfWork>;
