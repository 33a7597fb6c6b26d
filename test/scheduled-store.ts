import type {
  InMemoryStore,
  ProductRepository,
  UnitOfWork,
  UnitOfWorkFactory,
} from "cosmic-allocation";
import type fc from "fast-check";

/**
 * Unit-of-work factories over an {@link InMemoryStore} whose every repository
 * call and commit is a task of a fast-check scheduler, so that the scheduler
 * picks the interleaving of concurrent service calls. Each factory belongs to
 * one caller; `commits` records, in order, which caller's commits succeeded.
 */
export class ScheduledStore {
  readonly commits: string[] = [];

  constructor(
    private readonly store: InMemoryStore,
    private readonly scheduler: fc.Scheduler,
  ) {}

  factoryFor(caller: string): UnitOfWorkFactory {
    return () => this.#wrap(caller, this.store.unitOfWork());
  }

  #wrap(caller: string, uow: UnitOfWork): UnitOfWork {
    const scheduled = <T>(label: string, action: () => Promise<T>): Promise<T> =>
      this.scheduler.schedule(Promise.resolve(label), `${caller} ${label}`).then(action);
    const products: ProductRepository = {
      add: (product) => scheduled(`add ${product.sku}`, () => uow.products.add(product)),
      get: (sku) => scheduled(`get ${sku}`, () => uow.products.get(sku)),
      getByBatchRef: (reference) =>
        scheduled(`getByBatchRef ${reference}`, () => uow.products.getByBatchRef(reference)),
    };
    return {
      products,
      commit: () =>
        scheduled("commit", async () => {
          await uow.commit();
          this.commits.push(caller);
        }),
      rollback: () => uow.rollback(),
      [Symbol.asyncDispose]: () => uow[Symbol.asyncDispose](),
    };
  }
}
