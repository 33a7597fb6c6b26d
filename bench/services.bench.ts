/**
 * The service layer over InMemoryStore: many concurrent allocations on one
 * sku, and the cost of a unit of work in small and large stores.
 */
import { Batch, InMemoryStore, OrderLine, OutOfStock, Product, services } from "../src/index";
import { count, report, timeAsync } from "./measure";

{
  const calls = 10_000;
  const stock = 6_000;
  let retries = 0;
  let outOfStock = 0;
  let allocated = 0;
  const timing = await timeAsync(
    async () => {
      const store = new InMemoryStore();
      const uow = () => store.unitOfWork();
      await services.addBatch({ ref: "warehouse", sku: "LAMP", qty: stock / 2 }, uow);
      await services.addBatch(
        { ref: "ship-1", sku: "LAMP", qty: stock / 4, eta: "2027-01-01" },
        uow,
      );
      await services.addBatch(
        { ref: "ship-2", sku: "LAMP", qty: stock / 4, eta: "2027-02-01" },
        uow,
      );
      retries = 0;
      outOfStock = 0;
      allocated = 0;
      return store;
    },
    async (store) => {
      const uow = () => store.unitOfWork();
      const options = {
        retries: 20,
        onRetry: () => {
          retries += 1;
        },
      };
      await Promise.all(
        Array.from({ length: calls }, (_, index) =>
          services.allocate({ orderid: `order-${index}`, sku: "LAMP", qty: 1 }, uow, options).then(
            () => {
              allocated += 1;
            },
            (error: unknown) => {
              if (!OutOfStock.is(error)) throw error;
              outOfStock += 1;
            },
          ),
        ),
      );
      const check = store.unitOfWork();
      const product = await check.products.get("LAMP");
      const held = product?.batches.reduce((sum, batch) => sum + batch.allocatedQuantity, 0);
      const oversold = product?.batches.some((batch) => batch.availableQuantity < 0);
      if (allocated !== stock || held !== stock || oversold)
        throw new Error(`expected ${stock} allocations, got ${allocated}, held ${held}`);
    },
    { runs: 5 },
  );
  report(
    `services.allocate: ${count(calls)} concurrent calls, one sku`,
    timing,
    `${count(calls / (timing.medianMs / 1000))} calls/s`,
  );
  console.log(
    `  last run: ${count(allocated)} allocated (stock ${count(stock)}), ${count(outOfStock)} out of stock, ${count(retries)} retries, nothing oversold`,
  );
}

const perCall: number[] = [];
for (const size of [10, 10_000]) {
  const store = new InMemoryStore();
  const seed = store.unitOfWork();
  for (let index = 0; index < size; index++) {
    const sku = `SKU-${index}`;
    await seed.products.add(new Product(sku, [new Batch(`b-${index}`, sku, 1_000_000)]));
  }
  await seed.commit();
  const calls = 20_000;
  const timing = await timeAsync(
    () => undefined,
    async () => {
      // Allocate and release in turn, so the products stay the same size from run to run.
      for (let index = 0; index < calls; index += 2) {
        const line = { orderid: `o-${index}`, sku: `SKU-${(index / 2) % 10}`, qty: 1 };
        await services.allocate(line, () => store.unitOfWork());
        await services.deallocate(line, () => store.unitOfWork());
      }
    },
    { runs: 5 },
  );
  const microseconds = (timing.medianMs * 1000) / calls;
  perCall.push(microseconds);
  report(
    `one unit of work on one product, store of ${count(size)} products`,
    timing,
    `${microseconds.toFixed(1)} µs/call`,
  );
}
console.log(
  `  cost per call at 10,000 products / at 10 products: ${((perCall[1] ?? 0) / (perCall[0] ?? 1)).toFixed(2)}x (must not grow with the store)`,
);

// What does grow: the first change to a batch in a unit of work copies that batch's lines.
for (const held of [100, 10_000]) {
  const store = new InMemoryStore();
  const seed = store.unitOfWork();
  const product = new Product("LAMP", [new Batch("big", "LAMP", 10_000_000)]);
  for (let index = 0; index < held; index++)
    product.allocate(new OrderLine(`held-${index}`, "LAMP", 1));
  await seed.products.add(product);
  await seed.commit();
  const calls = 2_000;
  const timing = await timeAsync(
    () => undefined,
    async () => {
      for (let index = 0; index < calls; index += 2) {
        const line = { orderid: `o-${index}`, sku: "LAMP", qty: 1 };
        await services.allocate(line, () => store.unitOfWork());
        await services.deallocate(line, () => store.unitOfWork());
      }
    },
    { runs: 5 },
  );
  report(
    `one unit of work on a batch holding ${count(held)} lines`,
    timing,
    `${((timing.medianMs * 1000) / calls).toFixed(1)} µs/call`,
  );
}
