-- One row per Product aggregate; version is the optimistic-concurrency
-- counter a commit compares and sets.
CREATE TABLE products (
  sku text PRIMARY KEY,
  version bigint NOT NULL CHECK (version >= 0)
);

-- Batch references are unique across every product.
CREATE TABLE batches (
  reference text PRIMARY KEY,
  sku text NOT NULL REFERENCES products (sku) ON DELETE CASCADE,
  position integer NOT NULL,
  purchased_quantity bigint NOT NULL CHECK (purchased_quantity >= 0),
  eta timestamptz,
  UNIQUE (sku, position)
);

-- An allocated order line; position keeps the batch's allocation order,
-- oldest first, which decides which lines a smaller batch releases.
CREATE TABLE allocations (
  batch_reference text NOT NULL REFERENCES batches (reference) ON DELETE CASCADE,
  position integer NOT NULL,
  orderid text NOT NULL,
  qty bigint NOT NULL CHECK (qty > 0),
  PRIMARY KEY (batch_reference, position)
);
