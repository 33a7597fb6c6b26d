import type { DomainEvent } from "../domain/events";
import { requireRecord } from "../domain/validate";
import { ValidationError } from "../errors/validation-error";
import type { OutboxEntry, RelayOptions } from "../ports/outbox";

/** The most events one relay call hands out unless told otherwise. */
export const DEFAULT_RELAY_LIMIT = 100;

interface Pending extends OutboxEntry {
  readonly sku: string;
  // A relay run is handing it out: another run must not.
  claimed: boolean;
}

/**
 * The in-memory store's outbox: events stored with the commit that recorded
 * them, handed out by {@link InMemoryOutbox.relay} as the PostgreSQL
 * adapter's outbox does, so tests and browsers run the same code path.
 *
 * @internal
 */
export class InMemoryOutbox {
  #pending: Pending[] = [];
  #next = 0;

  /** Stores the events of one commit, in the order given. */
  store(events: readonly DomainEvent[]): void {
    for (const event of events) {
      this.#next += 1;
      this.#pending.push({ id: String(this.#next), event, sku: event.sku, claimed: false });
    }
  }

  /** See {@link InMemoryStore.relay}. */
  async relay(
    publish: (entry: OutboxEntry) => unknown,
    options: RelayOptions = {},
  ): Promise<number> {
    if (typeof publish !== "function") {
      throw new ValidationError("publish", publish, "a function");
    }
    const limit = readLimit(options);
    // Claim before the first await, so that a concurrent run takes other
    // events; and no event of a product another run is handing out, so that
    // each product's events still go out in commit order.
    const busy = new Set<string>();
    for (const entry of this.#pending) if (entry.claimed) busy.add(entry.sku);
    const claimed: Pending[] = [];
    for (const entry of this.#pending) {
      if (claimed.length >= limit) break;
      if (!busy.has(entry.sku)) {
        entry.claimed = true;
        claimed.push(entry);
      }
    }
    const failedSkus = new Set<string>();
    const delivered = new Set<Pending>();
    try {
      for (const entry of claimed) {
        // A product's events go out in commit order: after one fails, its later ones wait.
        if (failedSkus.has(entry.sku)) continue;
        try {
          await publish({ id: entry.id, event: entry.event });
          delivered.add(entry);
        } catch {
          failedSkus.add(entry.sku);
        }
      }
    } finally {
      for (const entry of claimed) entry.claimed = false;
      this.#pending = this.#pending.filter((entry) => !delivered.has(entry));
    }
    return delivered.size;
  }
}

function readLimit(options: unknown): number {
  const { limit = DEFAULT_RELAY_LIMIT } = requireRecord(options, "options") as RelayOptions;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError("options.limit", limit, "a positive safe integer");
  }
  return limit;
}
