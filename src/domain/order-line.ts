import { ValidationError } from "../errors/validation-error";
import { requireBranded, requireObject, requirePositiveQuantity, requireText } from "./validate";

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
 * The library knows a line by its private brand, not by `instanceof`: a
 * `Proxy` of a line is not a line. Every method that takes one refuses a Proxy
 * with a {@link ValidationError} (and `equals` answers false), rather than
 * failing later with "Cannot read private member"; pass the line itself
 * (Vue's `toRaw`, MobX's `toJS`). Being frozen, a line is left unwrapped by
 * Vue's `reactive()` and MobX's `observable()` in the first place.
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
   * Tells whether a value is a line built by this class: a brand check, so a
   * Proxy of a line is not one, and no Proxy trap runs.
   *
   * @internal
   */
  static _isOrderLine(value: unknown): boolean {
    return typeof value === "object" && value !== null && #key in value;
  }

  /**
   * Tells whether another line has the same orderid, sku and qty.
   *
   * @param other - the line to compare with
   * @returns true if both lines have equal values; false when either is not a
   *   line, such as a Proxy of one
   */
  equals(other: OrderLine): boolean {
    return (
      OrderLine._isOrderLine(other) && OrderLine._isOrderLine(this) && other.#key === this.#key
    );
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
    const record: Partial<OrderLineJSON> = requireObject(json, "line");
    let orderid: unknown;
    let sku: unknown;
    let qty: unknown;
    // Read here rather than through requireRecord's Proxy: lines are many, and a Proxy read is slow.
    try {
      ({ orderid, sku, qty } = record);
    } catch (cause) {
      throw new ValidationError("line", json, "a readable object", { cause });
    }
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
  return requireBranded(value, field, "an OrderLine", OrderLine._isOrderLine);
}
