/**
 * The domain's hot paths: allocating into one large batch, the allocate
 * service over many batches, and Product.allocate, whose cost per allocation
 * must not grow with the number of batches.
 */
import { allocate, Batch, OrderLine, Product } from "../src/index";
import { count, report, time } from "./measure";

const SKU = "LAMP";

function lines(total: number, prefix = "order"): OrderLine[] {
  return Array.from({ length: total }, (_, index) => new OrderLine(`${prefix}-${index}`, SKU, 1));
}

/** Batches of one sku with etas spread over a year, every third in the warehouse. */
function batches(total: number, qty: number): Batch[] {
  return Array.from({ length: total }, (_, index) => {
    const eta = index % 3 === 0 ? null : new Date(Date.UTC(2027, 0, 1 + (index % 365)));
    return new Batch(`batch-${index}`, SKU, qty, eta);
  });
}

{
  // Each section builds its own lines and drops them, so that no section pays
  // for collecting garbage that another one left.
  const million = lines(1_000_000);
  const timing = time(
    () => new Batch("big", SKU, million.length),
    (batch) => {
      for (const line of million) batch.allocate(line);
      if (batch.availableQuantity !== 0) throw new Error("not every line was allocated");
    },
    { runs: 5 },
  );
  report(
    "Batch.allocate: 1,000,000 distinct lines into one batch",
    timing,
    `${count(million.length / (timing.medianMs / 1000))} lines/s`,
  );
}

for (const size of [10, 1_000, 10_000]) {
  const calls = size >= 10_000 ? 2_000 : 20_000;
  const work = lines(calls);
  const timing = time(
    () => batches(size, 1_000_000),
    (stock) => {
      for (const line of work) allocate(line, stock);
    },
    { runs: 5 },
  );
  report(
    `allocate(line, batches) at ${count(size)} batches`,
    timing,
    `${count(calls / (timing.medianMs / 1000))} calls/s`,
  );
}

const perAllocation: number[] = [];
for (const size of [10, 10_000]) {
  const work = lines(200_000);
  // Every batch fits few lines, so allocation walks past many full batches:
  // the case a scan handles worst.
  const qty = Math.ceil((work.length * 1.5) / size);
  const timing = time(
    () => new Product(SKU, batches(size, qty)),
    (product) => {
      for (const line of work) product.allocate(line);
    },
    { runs: 5 },
  );
  const nanoseconds = (timing.medianMs * 1e6) / work.length;
  perAllocation.push(nanoseconds);
  report(
    `Product.allocate at ${count(size)} batches (200,000 lines)`,
    timing,
    `${nanoseconds.toFixed(0)} ns/allocation, ${count(work.length / (timing.medianMs / 1000))} allocations/s`,
  );
}
console.log(
  `  cost per allocation at 10,000 batches / at 10 batches: ${((perAllocation[1] ?? 0) / (perAllocation[0] ?? 1)).toFixed(2)}x (budget 3x)`,
);
