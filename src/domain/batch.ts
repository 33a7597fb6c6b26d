import { InsufficientStock } from "../errors/insufficient-stock";
import { SkuMismatch } from "../errors/sku-mismatch";
import { ValidationError } from "../errors/validation-error";
import { lineKey, OrderLine, type OrderLineJSON, requireOrderLine } from "./order-line";
import {
  readNested,
  requireArray,
  requireEta,
  requireJsonEta,
  requireQuantity,
  requireRecord,
  requireText,
} from "./validate";

/**
 * The JSON form of a {@link Batch}, as {@link Batch.toJSON} writes it.
 *
 * @example
 * ```ts
 * import { Batch, type BatchJSON } from "cosmic-allocation";
 *
 * const json: BatchJSON = new Batch("b1", "LAMP", 10).toJSON();
 * console.log(json.qty, json.eta); // 10 null
 * ```
 */
export interface BatchJSON {
  /** The batch's unique reference. */
  readonly reference: string;
  /** The sku the batch holds. */
  readonly sku: string;
  /** The purchased quantity. */
  readonly qty: number;
  /** When the batch arrives, as an ISO 8601 string; null when it is in the warehouse. */
  readonly eta: string | null;
  /** The allocated order lines, oldest first. */
  readonly allocations: readonly OrderLineJSON[];
}

/**
 * A batch of stock of one sku that the retailer has bought: in the warehouse
 * (no eta) or still on its way (an eta). Order lines are allocated to it.
 *
 * An entity: two batches are the same batch when their references are equal.
 * Its quantities are running totals, so reading them costs O(1).
 *
 * @example
 * ```ts
 * import { Batch, OrderLine } from "cosmic-allocation";
 *
 * const batch = new Batch("batch-001", "SMALL-TABLE", 20, new Date("2026-12-01"));
 * batch.allocate(new OrderLine("order-ref", "SMALL-TABLE", 2));
 * console.log(batch.availableQuantity); // 18
 * ```
 */
export class Batch {
  readonly #reference: string;
  readonly #sku: string;
  readonly #eta: number | null;
  #purchased: number;
  #allocated = 0;
  // Insertion order is allocation order: changing the quantity releases the newest lines first.
  #lines = new Map<string, OrderLine>();
  // Copies share their lines until one of them writes: copying is O(1), the first write O(lines).
  #linesShared = false;

  /**
   * Creates a batch with nothing allocated.
   *
   * @param reference - the batch's unique reference; a non-empty string
   * @param sku - the sku it holds; a non-empty string
   * @param qty - the purchased quantity; a non-negative safe integer
   * @param eta - when it arrives; null or omitted when it is in the warehouse
   * @throws {@link ValidationError} when an argument is not of that form
   */
  constructor(reference: string, sku: string, qty: number, eta: Date | null = null) {
    this.#reference = requireText(reference, "reference");
    this.#sku = requireText(sku, "sku");
    this.#purchased = requireQuantity(qty, "qty");
    this.#eta = requireEta(eta, "eta");
  }

  /** The batch's unique reference. */
  get reference(): string {
    return this.#reference;
  }

  /** The sku the batch holds. */
  get sku(): string {
    return this.#sku;
  }

  /** When the batch arrives (a fresh Date on each read), or null when it is in the warehouse. */
  get eta(): Date | null {
    return this.#eta === null ? null : new Date(this.#eta);
  }

  /** How many units were bought. */
  get purchasedQuantity(): number {
    return this.#purchased;
  }

  /** How many units are allocated to order lines. */
  get allocatedQuantity(): number {
    return this.#allocated;
  }

  /** How many units can still be allocated: purchased minus allocated. */
  get availableQuantity(): number {
    return this.#purchased - this.#allocated;
  }

  /** The allocated order lines, oldest first, as a fresh array. */
  get allocations(): readonly OrderLine[] {
    return [...this.#lines.values()];
  }

  /**
   * Tells whether the batch can take a line: same sku and enough available.
   *
   * @param line - the order line
   * @returns true if allocating it would succeed and change the batch
   * @throws {@link ValidationError} when `line` is not an OrderLine
   */
  canAllocate(line: OrderLine): boolean {
    requireOrderLine(line, "line");
    return line.sku === this.#sku && line.qty <= this.#purchased - this.#allocated;
  }

  /**
   * Tells whether a line equal to this one is allocated to the batch.
   *
   * @param line - the order line
   * @returns true if the batch holds it
   * @throws {@link ValidationError} when `line` is not an OrderLine
   */
  isAllocated(line: OrderLine): boolean {
    return this.#lines.has(lineKey(requireOrderLine(line, "line")));
  }

  /**
   * Allocates a line to the batch. Allocating a line the batch already holds
   * changes nothing.
   *
   * @param line - the order line
   * @throws {@link SkuMismatch} when the line is for another sku
   * @throws {@link InsufficientStock} when less is available than the line needs
   * @throws {@link ValidationError} when `line` is not an OrderLine
   *
   * @example
   * ```ts
   * import { Batch, OrderLine } from "cosmic-allocation";
   *
   * const batch = new Batch("batch-001", "ANGULAR-DESK", 20);
   * const line = new OrderLine("order-123", "ANGULAR-DESK", 2);
   * batch.allocate(line);
   * batch.allocate(line); // already allocated: no change
   * console.log(batch.availableQuantity); // 18
   * ```
   */
  allocate(line: OrderLine): void {
    const key = lineKey(requireOrderLine(line, "line"));
    if (this.#lines.has(key)) return;
    if (line.sku !== this.#sku) throw new SkuMismatch(this.#sku, line.sku);
    const available = this.#purchased - this.#allocated;
    if (line.qty > available) throw new InsufficientStock(this.#reference, line.qty, available);
    this.#ownLines().set(key, line);
    this.#allocated += line.qty;
  }

  /**
   * Releases a line from the batch. Releasing a line it does not hold changes nothing.
   *
   * @param line - the order line
   * @returns true if the batch held the line
   * @throws {@link ValidationError} when `line` is not an OrderLine
   */
  deallocate(line: OrderLine): boolean {
    const key = lineKey(requireOrderLine(line, "line"));
    const held = this.#lines.get(key);
    if (held === undefined) return false;
    this.#release(key, held);
    return true;
  }

  /**
   * Sets the purchased quantity, as when a delivery turns out smaller or larger
   * than ordered. If the batch is then over-allocated it releases its most
   * recently allocated lines until it is not.
   *
   * @param qty - the new purchased quantity; a non-negative safe integer
   * @returns the released lines, most recently allocated first
   * @throws {@link ValidationError} when `qty` is not of that form
   *
   * @example
   * ```ts
   * import { Batch, OrderLine } from "cosmic-allocation";
   *
   * const batch = new Batch("batch-001", "LAMP", 10);
   * batch.allocate(new OrderLine("o1", "LAMP", 6));
   * batch.allocate(new OrderLine("o2", "LAMP", 3));
   * const released = batch.changePurchasedQuantity(7);
   * console.log(released.map((line) => line.orderid)); // ["o2"]
   * ```
   */
  changePurchasedQuantity(qty: number): readonly OrderLine[] {
    requireQuantity(qty, "qty");
    const released: OrderLine[] = [];
    if (qty === this.#purchased) return released;
    this.#purchased = qty;
    if (this.#allocated > qty) {
      const newestFirst = [...this.#lines].reverse();
      for (const [key, line] of newestFirst) {
        if (this.#allocated <= qty) break;
        this.#release(key, line);
        released.push(line);
      }
    }
    return released;
  }

  /**
   * Tells whether another batch is the same batch: batches are entities,
   * identified by their reference. A product's read-only view of a batch is
   * the same batch as the batch it shows.
   *
   * @param other - the batch, or a batch view, to compare with
   * @returns true if both have the same reference
   */
  equals(other: Batch | { readonly reference: string }): boolean {
    if (Batch._is(other)) return other.#reference === this.#reference;
    if (typeof other !== "object" || other === null) return false;
    const reference = readReference(other);
    return reference === this.#reference;
  }

  /**
   * Returns the batch as plain JSON data, eta as an ISO 8601 string.
   *
   * @returns the batch's {@link BatchJSON}
   */
  toJSON(): BatchJSON {
    return {
      reference: this.#reference,
      sku: this.#sku,
      qty: this.#purchased,
      eta: this.eta?.toISOString() ?? null,
      allocations: Array.from(this.#lines.values(), (line) => line.toJSON()),
    };
  }

  /**
   * Reads a batch from JSON data, validating every field: the allocated
   * lines must be of the batch's sku, listed once, and fit in its quantity.
   *
   * @param json - data of the form {@link BatchJSON}
   * @returns the batch, with its allocations in the order listed
   * @throws {@link ValidationError} naming the first invalid field
   *
   * @example
   * ```ts
   * import { Batch } from "cosmic-allocation";
   *
   * const batch = new Batch("batch-001", "LAMP", 10, new Date("2026-12-01"));
   * const copy = Batch.fromJSON(JSON.parse(JSON.stringify(batch)));
   * console.log(copy.equals(batch), copy.eta?.toISOString()); // true "2026-12-01T00:00:00.000Z"
   * ```
   */
  static fromJSON(json: unknown): Batch {
    const { reference, sku, qty, eta, allocations } = requireRecord(json, "batch");
    const arrival = requireJsonEta(eta, "eta");
    const batch = new Batch(
      reference as string,
      sku as string,
      qty as number,
      arrival === null ? null : new Date(arrival),
    );
    requireArray(allocations, "allocations").forEach((item, index) => {
      const field = `allocations[${index}]`;
      const line = readNested(field, "line", () => OrderLine.fromJSON(item));
      // The batch's own rules decide: same sku, enough available, each line once.
      if (!batch.canAllocate(line) || batch.isAllocated(line)) {
        throw new ValidationError(
          field,
          item,
          `a line of sku "${batch.#sku}", listed once, that fits in qty ${batch.#purchased}`,
        );
      }
      batch.allocate(line);
    });
    return batch;
  }

  /**
   * Whether a value is a real Batch of this copy of the package: a brand
   * check, which is false (and never throws) for a Proxy around a batch, whose
   * private state a Proxy cannot reach, and for a revoked Proxy.
   *
   * @internal
   */
  static _is(value: unknown): value is Batch {
    return typeof value === "object" && value !== null && #reference in value;
  }

  /**
   * The batch's place in the preference order: -Infinity for warehouse stock,
   * else its eta in epoch milliseconds. Read without building a Date.
   *
   * @internal
   */
  get _etaTime(): number {
    return this.#eta ?? Number.NEGATIVE_INFINITY;
  }

  /**
   * A copy with the same reference, quantities and allocations. It shares
   * the lines with the original until either writes: O(1).
   *
   * @internal
   */
  _clone(): Batch {
    const clone = new Batch(this.#reference, this.#sku, this.#purchased, this.eta);
    clone.#lines = this.#lines;
    clone.#linesShared = true;
    this.#linesShared = true;
    clone.#allocated = this.#allocated;
    return clone;
  }

  #ownLines(): Map<string, OrderLine> {
    if (this.#linesShared) {
      this.#lines = new Map(this.#lines);
      this.#linesShared = false;
    }
    return this.#lines;
  }

  #release(key: string, line: OrderLine): void {
    this.#ownLines().delete(key);
    this.#allocated -= line.qty;
  }
}

/**
 * Checks that a value is a {@link Batch}, for callers without types.
 *
 * @internal
 */
export function requireBatch(value: unknown, field: string): Batch {
  if (!Batch._is(value)) throw new ValidationError(field, value, "a Batch");
  return value;
}

// Reads `reference` from anything, a revoked Proxy or a throwing getter included.
function readReference(value: object): unknown {
  try {
    return (value as { readonly reference?: unknown }).reference;
  } catch {
    return undefined;
  }
}
