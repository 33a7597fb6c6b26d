import type { DomainEvent } from "../domain/events";

/**
 * An event as a relay delivers it from an outbox: the event and an id that is
 * unique in its store, so that a consumer can drop a repeat (delivery is at
 * least once).
 *
 * @example
 * ```ts
 * import type { OutboxEntry } from "cosmic-allocation";
 *
 * const seen = new Set<string>();
 * const publishOnce = (entry: OutboxEntry): void => {
 *   if (seen.has(entry.id)) return;
 *   seen.add(entry.id);
 *   console.log(entry.event.type);
 * };
 * ```
 */
export interface OutboxEntry {
  /** Unique in the store that committed the event; repeats of one delivery carry the same id. */
  readonly id: string;
  /** The event as the domain recorded it. */
  readonly event: DomainEvent;
}

/**
 * Options of a relay run over an outbox.
 *
 * @example
 * ```ts
 * import type { RelayOptions } from "cosmic-allocation";
 *
 * const options: RelayOptions = { limit: 500 };
 * ```
 */
export interface RelayOptions {
  /** The most events one call hands out; 100 by default. */
  readonly limit?: number;
}
