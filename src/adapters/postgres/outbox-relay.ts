import type { DomainEvent, OutboxEntry, RelayOptions } from "cosmic-allocation";
import { sleep } from "./sleep";
import type { SqlDatabase } from "./sql-client";
import { sqlState } from "./sql-errors";

/** @internal */
export const DEFAULT_RELAY_LIMIT = 100;

// Claims the oldest unclaimed undelivered events. SKIP LOCKED: a relay never
// waits for, nor takes, rows another relay is claiming at this moment.
const CANDIDATES = `
SELECT id::text AS id, sku FROM outbox
WHERE delivered_at IS NULL AND (lease_until IS NULL OR lease_until < now())
ORDER BY outbox.id LIMIT $1
FOR UPDATE SKIP LOCKED`;

// Every undelivered event of those products up to the last candidate,
// claimed by anyone or not: a product's events go out in order, so a relay
// only takes a product's events up to the first one it could not claim.
const PENDING = `
SELECT id::text AS id, sku FROM outbox
WHERE delivered_at IS NULL AND sku = ANY($1::text[]) AND id <= $2::bigint
ORDER BY outbox.id`;

const CLAIM = `
UPDATE outbox SET lease_until = now() + $2::float8 * interval '1 millisecond', lease_token = $3
WHERE id = ANY($1::bigint[])
RETURNING id::text AS id, sku, event`;

const DELIVERED = `
UPDATE outbox SET delivered_at = now(), lease_until = NULL, lease_token = NULL
WHERE id = ANY($1::bigint[])`;

const RELEASE = `
UPDATE outbox SET lease_until = NULL, lease_token = NULL
WHERE id = ANY($1::bigint[]) AND lease_token = $2`;

interface Claimed {
  readonly id: string;
  readonly sku: string;
  readonly event: DomainEvent;
}

/**
 * One relay run over the outbox: claims up to `limit` events under a lease
 * (one short transaction), publishes them with no transaction open (so
 * `publish` may itself use the database, even PGlite's single connection),
 * then marks the published ones delivered and releases the rest.
 *
 * @internal
 */
export async function relayOutbox(
  db: SqlDatabase,
  publish: (entry: OutboxEntry) => unknown,
  options: RelayOptions | undefined,
  leaseMs: number,
): Promise<number> {
  const limit = options?.limit ?? DEFAULT_RELAY_LIMIT;
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const claimed = await claimRetryingRaces(() =>
    db.inTransaction(async (tx): Promise<Claimed[]> => {
      const { rows: candidates } = await tx.query(CANDIDATES, [limit]);
      if (candidates.length === 0) return [];
      const mine = new Set(candidates.map((row) => (row as { id: string }).id));
      const skus = [...new Set(candidates.map((row) => (row as { sku: string }).sku))];
      const last = (candidates[candidates.length - 1] as { id: string }).id;
      const { rows: pending } = await tx.query(PENDING, [skus, last]);
      const blocked = new Set<string>();
      const ready: string[] = [];
      for (const row of pending as readonly { id: string; sku: string }[]) {
        if (blocked.has(row.sku)) continue;
        if (mine.has(row.id)) ready.push(row.id);
        else blocked.add(row.sku);
      }
      if (ready.length === 0) return [];
      const { rows } = await tx.query(CLAIM, [ready, leaseMs, token]);
      return (rows as readonly { id: string; sku: string; event: unknown }[])
        .map((row) => ({
          id: row.id,
          sku: row.sku,
          // pg and PGlite both parse jsonb; a driver that does not hands over text.
          event: (typeof row.event === "string" ? JSON.parse(row.event) : row.event) as DomainEvent,
        }))
        .sort((a, b) => compareIds(a.id, b.id));
    }),
  );
  const delivered: string[] = [];
  const released: string[] = [];
  const failed = new Set<string>();
  for (const entry of claimed) {
    // After a failure, the product's later events wait: they go out in order or not at all.
    if (failed.has(entry.sku)) {
      released.push(entry.id);
      continue;
    }
    try {
      await publish(Object.freeze({ id: entry.id, event: Object.freeze(entry.event) }));
      delivered.push(entry.id);
    } catch {
      // Not lost: it stays in the outbox for the next run, as InMemoryStore's relay does.
      failed.add(entry.sku);
      released.push(entry.id);
    }
  }
  if (delivered.length > 0) await db.query(DELIVERED, [delivered]);
  if (released.length > 0) await db.query(RELEASE, [released, token]);
  return delivered.length;
}

// At SERIALIZABLE two relays claiming at once may lose a race (40001): the
// claim is short and has no effect until it commits, so run it again.
async function claimRetryingRaces<T>(claim: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await claim();
    } catch (error) {
      const state = sqlState(error);
      if (attempt >= 10 || (state !== "40001" && state !== "40P01")) throw error;
      await sleep(Math.random() * 5 * attempt);
    }
  }
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
