/** The command to add a batch of stock, in the book's field names. */
export interface AddBatchCommand {
  /** The batch's unique reference. */
  readonly ref: string;
  /** The sku it holds. */
  readonly sku: string;
  /** The purchased quantity: a non-negative safe integer. */
  readonly qty: number;
  /** When it arrives: a Date or an ISO 8601 string; null or omitted when it is in the warehouse. */
  readonly eta?: Date | string | null;
}

/** The command to allocate an order line. */
export interface AllocateCommand {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The sku ordered. */
  readonly sku: string;
  /** How many units: a positive safe integer. */
  readonly qty: number;
}

/** The command to release an allocated order line. */
export interface DeallocateCommand {
  /** The order the line belongs to. */
  readonly orderid: string;
  /** The sku ordered. */
  readonly sku: string;
  /** How many units: a positive safe integer. */
  readonly qty: number;
}

/** The command to change a batch's purchased quantity. */
export interface ChangeBatchQuantityCommand {
  /** The batch's reference. */
  readonly ref: string;
  /** The new purchased quantity: a non-negative safe integer. */
  readonly qty: number;
}
