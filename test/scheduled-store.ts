import type { Product, ProductRepository, UnitOfWork, UnitOfWorkFactory } from "cosmic-allocation";
import type fc from "fast-check";

/** A unit of work that committed: who, whether it changed anything, and when it read and committed. */
export interface CommitRecord {
  readonly caller: string;
  readonly changed: boolean;
  /** The logical time of its last read. */
  readonly readAt: number;
  /** The logical time of its commit. */
  readonly committedAt: number;
}

/**
 * Unit-of-work factories over a store (in memory or PostgreSQL) whose every repository
 * call and commit is a task of a fast-check scheduler, so that the scheduler
 * picks the interleaving of concurrent service calls. Each factory belongs to
 * one caller; `commits` records each successful commit with the logical times
 * of its last read and of the commit itself.
 */
export class ScheduledStore {
  readonly commits: CommitRecord[] = [];
  #clock = 0;

  constructor(
    private readonly store: { unitOfWork(): UnitOfWork },
    private readonly scheduler: fc.Scheduler,
  ) {}

  factoryFor(caller: string): UnitOfWorkFactory {
    return () => this.#wrap(caller, this.store.unitOfWork());
  }

  #wrap(caller: string, uow: UnitOfWork): UnitOfWork {
    const scheduled = <T>(label: string, action: () => Promise<T>): Promise<T> =>
      this.scheduler.schedule(Promise.resolve(label), `${caller} ${label}`).then(action);
    // What this unit of work read, and at which version, to tell whether its commit changed anything.
    const read = new Map<Product, number>();
    let added = false;
    let readAt = -1;
    const reading = async (found: Promise<Product | undefined>): Promise<Product | undefined> => {
      const product = await found;
      readAt = this.#clock++;
      if (product !== undefined && !read.has(product)) read.set(product, product.versionNumber);
      return product;
    };
    const products: ProductRepository = {
      add: (product) =>
        scheduled(`add ${product.sku}`, async () => {
          await uow.products.add(product);
          added = true;
        }),
      get: (sku) => scheduled(`get ${sku}`, () => reading(uow.products.get(sku))),
      getByBatchRef: (reference) =>
        scheduled(`getByBatchRef ${reference}`, () =>
          reading(uow.products.getByBatchRef(reference)),
        ),
      getByOrder: (orderid) =>
        scheduled(`getByOrder ${orderid}`, async () => {
          const found = await uow.products.getByOrder(orderid);
          for (const product of found) await reading(Promise.resolve(product));
          return found;
        }),
    };
    return {
      products,
      commit: () =>
        scheduled("commit", async () => {
          const changed =
            added || [...read].some(([product, version]) => product.versionNumber !== version);
          await uow.commit();
          this.commits.push({ caller, changed, readAt, committedAt: this.#clock++ });
        }),
      collectNewEvents: () => uow.collectNewEvents(),
      rollback: () => uow.rollback(),
      [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
    };
  }
}
