import { ValidationError } from "../errors/validation-error";
import { requirePositiveQuantity, requireRecord, requireText } from "./validate";

/**
 * The JSON form of an {@link OrderLine}, as {@link OrderLine.toJSON} writes it.
 *
 * @example
 * ```ts
 * import { OrderLine, type OrderLineJSON } from "cosmic-allocation";
 *
 * const json: OrderLineJSON = { orderid: "o1", sku: "LAMP", qty: 3 };
 * console.log(OrderLine.fromJSON(json).equals(new OrderLine("o1", "LAMP", 3))); // true
 * ```
 */
export interface OrderLineJSON {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The stock-keeping unit ordered. */
  readonly sku: string;
  /** How many units are ordered. */
  readonly qty: number;
}

/**
 * One line of a customer's order: a quantity of one sku.
 *
 * A value object: immutable (frozen at runtime) and equal to any other line
 * with the same orderid, sku and qty.
 *
 * @example
 * ```ts
 * import { OrderLine } from "cosmic-allocation";
 *
 * const line = new OrderLine("order-ref", "SMALL-TABLE", 2);
 * console.log(line.equals(new OrderLine("order-ref", "SMALL-TABLE", 2))); // true
 * ```
 */
export class OrderLine {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The stock-keeping unit ordered. */
  readonly sku: string;
  /** How many units are ordered: a positive safe integer. */
  readonly qty: number;
  // Computed once, so that batches and products look lines up without building strings.
  readonly #key: string;

  /**
   * Creates an order line.
   *
   * @param orderid - the order the line belongs to; a non-empty string
   * @param sku - the stock-keeping unit ordered; a non-empty string
   * @param qty - how many units; a positive safe integer
   * @throws {@link ValidationError} when an argument is not of that form
   */
  constructor(orderid: string, sku: string, qty: number) {
    this.orderid = requireText(orderid, "orderid");
    this.sku = requireText(sku, "sku");
    this.qty = requirePositiveQuantity(qty, "qty");
    // A quantity has no ":" in it, so the key cannot be read two ways.
    this.#key = `${qty}:${sku.length}:${sku}${orderid}`;
    Object.freeze(this);
  }

  /**
   * The identity of the line's value, for maps: equal lines have equal keys.
   *
   * @internal
   */
  get _key(): string {
    return this.#key;
  }

  /**
   * Tells whether another line has the same orderid, sku and qty.
   *
   * @param other - the line to compare with
   * @returns true if both lines have equal values
   */
  equals(other: OrderLine): boolean {
    return other instanceof OrderLine && other.#key === this.#key;
  }

  /**
   * Returns the line as plain JSON data.
   *
   * @returns `{ orderid, sku, qty }`
   */
  toJSON(): OrderLineJSON {
    return { orderid: this.orderid, sku: this.sku, qty: this.qty };
  }

  /**
   * Reads a line from JSON data, validating every field.
   *
   * @param json - data of the form {@link OrderLineJSON}
   * @returns the order line
   * @throws {@link ValidationError} naming the first invalid field
   *
   * @example
   * ```ts
   * import { OrderLine } from "cosmic-allocation";
   *
   * const line = OrderLine.fromJSON(JSON.parse('{"orderid":"o1","sku":"LAMP","qty":3}'));
   * console.log(line.qty); // 3
   * ```
   */
  static fromJSON(json: unknown): OrderLine {
    const { orderid, sku, qty } = requireRecord(json, "line");
    return new OrderLine(orderid as string, sku as string, qty as number);
  }
}

/**
 * The identity of a line's value, for maps: equal lines have equal keys.
 *
 * @internal
 */
export function lineKey(line: OrderLine): string {
  return line._key;
}

/**
 * Checks that a value is an {@link OrderLine}, for callers without types.
 *
 * @internal
 */
export function requireOrderLine(value: unknown, field: string): OrderLine {
  if (!(value instanceof OrderLine)) throw new ValidationError(field, value, "an OrderLine");
  return value;
}
