import { DuplicateBatch, services, type UnitOfWorkFactory } from "cosmic-allocation";

const DAY = 24 * 60 * 60 * 1000;

/** The demo's stock: the book's furniture, in the warehouse and on ships. */
export function demoBatches(now: Date = new Date()): {
  ref: string;
  sku: string;
  qty: number;
  eta: string | null;
}[] {
  const inDays = (days: number) => new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);
  return [
    { ref: "warehouse-table-1", sku: "SMALL-TABLE", qty: 20, eta: null },
    { ref: "ship-table-1", sku: "SMALL-TABLE", qty: 50, eta: inDays(14) },
    { ref: "warehouse-chair-1", sku: "RED-CHAIR", qty: 10, eta: null },
    { ref: "ship-chair-1", sku: "RED-CHAIR", qty: 100, eta: inDays(7) },
    { ref: "ship-chair-2", sku: "RED-CHAIR", qty: 100, eta: inDays(30) },
    { ref: "ship-lamp-1", sku: "BLUE-LAMP", qty: 15, eta: inDays(3) },
  ];
}

/** Adds the demo batches; a batch already there (a restart on a kept database) is skipped. */
export async function seedDemoData(uow: UnitOfWorkFactory): Promise<number> {
  let added = 0;
  for (const batch of demoBatches()) {
    try {
      await services.addBatch(batch, uow);
      added += 1;
    } catch (error) {
      if (!DuplicateBatch.is(error)) throw error;
    }
  }
  return added;
}
