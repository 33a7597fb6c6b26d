// How the adapter runs a transaction on a client that checks out connections
// (a pg Pool, or any driver shaped like one), shown with a scripted pool.
import { describe, expect, it } from "vitest";
import { PostgresStore } from "./postgres-store";
import type { SqlClient, SqlConnection } from "./sql-client";

interface Script {
  readonly sent: string[];
  readonly released: unknown[];
}

/** A pool whose connections record what they are sent, and fail where told. */
function scriptedPool(fail: (text: string) => unknown): { pool: SqlClient; script: Script } {
  const script: Script = { sent: [], released: [] };
  const query = async (text: string) => {
    script.sent.push(text.trim().split(/\s+/)[0] as string);
    const error = fail(text);
    if (error !== undefined) throw error;
    // A commit's write statement answers how many products it wrote.
    return { rows: text.trim().startsWith("WITH") ? [{ written: 1 }] : [] };
  };
  const pool: SqlClient = {
    query,
    async connect(): Promise<SqlConnection> {
      return { query, release: (error) => script.released.push(error) };
    },
  };
  return { pool, script };
}

async function commitTwoProducts(pool: SqlClient): Promise<unknown> {
  const { Batch, Product } = await import("cosmic-allocation");
  const uow = new PostgresStore(pool, { cacheSize: 0 }).unitOfWork();
  await uow.products.add(new Product("LAMP", [new Batch("b1", "LAMP", 1)]));
  await uow.products.add(new Product("RUG", [new Batch("b2", "RUG", 1)]));
  try {
    await uow.commit();
    return "ok";
  } catch (error) {
    return error;
  }
}

describe("a transaction on a pool's connection", () => {
  it("is BEGIN, the statements, COMMIT, then the connection goes back to the pool", async () => {
    const { pool, script } = scriptedPool(() => undefined);
    await commitTwoProducts(pool);
    expect(
      script.sent.filter((word) => word === "BEGIN" || word === "COMMIT" || word === "ROLLBACK"),
    ).toEqual(["BEGIN", "COMMIT"]);
    expect(script.released).toEqual([undefined]);
  });

  it("rolls back when a statement fails, and gives the connection back for reuse", async () => {
    const failure = Object.assign(new Error("disk full"), { code: "53100" });
    const { pool, script } = scriptedPool((text) =>
      text.includes("INSERT INTO batches") ? failure : undefined,
    );
    expect(await commitTwoProducts(pool)).toBe(failure);
    expect(script.sent.at(-1)).toBe("ROLLBACK");
    expect(script.released).toEqual([undefined]);
  });

  it("tells the pool to close a connection whose ROLLBACK failed too", async () => {
    const lost = new Error("connection lost");
    const { pool, script } = scriptedPool((text) =>
      text.includes("INSERT INTO batches") || text === "ROLLBACK" ? lost : undefined,
    );
    expect(await commitTwoProducts(pool)).toBe(lost);
    expect(script.released).toEqual([lost]);
  });

  it("refuses a connect() that gives no releasable connection: a pg Client, not a Pool", async () => {
    const client: SqlClient = {
      query: async () => ({ rows: [] }),
      connect: async () => undefined as unknown as SqlConnection,
    };
    expect(await commitTwoProducts(client)).toMatchObject({
      name: "TypeError",
      message: /pg Pool, not a Client/,
    });
  });
});

describe("what the server reports that is not a database error", () => {
  it("passes through a thrown value that is not an error object, and a 23505 on no known constraint", async () => {
    for (const thrown of [
      "a string",
      Object.assign(new Error("dup"), { code: "23505", constraint: 7 }),
    ]) {
      const { pool } = scriptedPool((text) =>
        text.includes("INSERT INTO batches") ? thrown : undefined,
      );
      expect(await commitTwoProducts(pool)).toBe(thrown);
    }
  });
});
