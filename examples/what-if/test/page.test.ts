// The page as a user sees it: built from the installed package, served
// statically, driven in Debian's Chromium through playwright-core.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { build } from "../build.mjs";
import { serveStatic } from "../serve.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const underCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}`;
const REPORTS = fileURLToPath(new URL("../../../reports/", import.meta.url));

if (missing !== undefined) {
  if (underCI) {
    it("has Chromium to drive (required under CI)", () => {
      throw new Error(`The browser tests cannot run under CI: ${missing}`);
    });
  } else {
    console.warn(
      `\n  Skipping the browser tests: ${missing}. Install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH.\n`,
    );
  }
}

describe.skipIf(missing !== undefined)("the what-if page in Chromium", () => {
  let browser: Browser;
  let site: { url: string; close(): Promise<void> };
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const { dist } = await build();
    site = await serveStatic(dist, 0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await page.goto(site.url);
    await page.getByRole("heading", { name: "What-if allocation" }).waitFor();
  });

  const summary = async () => (await page.locator("#plan-summary").textContent()) ?? "";
  const planLines = () =>
    page.$$eval("#plan-lines tbody tr", (rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll("td"), (cell) =>
          Array.from(cell.childNodes, (node) => node.textContent ?? "")
            .join(" ")
            .replace(/\s+/g, " ")
            .trim(),
        ),
      ),
    );
  const planBatches = () =>
    page.$$eval("#plan-batches tbody tr", (rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll("td"), (cell) =>
          Array.from(cell.childNodes, (node) => node.textContent ?? "")
            .join(" ")
            .replace(/\s+/g, " ")
            .trim(),
        ),
      ),
    );
  const errorNextTo = async (label: string) => {
    const input = page.getByLabel(label, { exact: true });
    const describedBy = await input.getAttribute("aria-describedby");
    return {
      text: (await page.locator(`#${describedBy}`).textContent()) ?? "",
      invalid: await input.getAttribute("aria-invalid"),
    };
  };

  async function addBatch(reference: string, sku: string, qty: string, eta: string | null) {
    await page.getByRole("button", { name: "Add batch" }).click();
    const n = await page.locator("#batch-rows tr").count();
    await page.getByLabel(`Batch ${n} reference`).fill(reference);
    await page.getByLabel(`Batch ${n} SKU`).fill(sku);
    await page.getByLabel(`Batch ${n} quantity`).fill(qty);
    if (eta !== null) {
      await page.getByLabel(`Batch ${n} arrives`).selectOption("shipment");
      await page.getByLabel(`Batch ${n} ETA`).fill(eta);
    }
  }

  async function addLine(orderid: string, sku: string, qty: string) {
    await page.getByRole("button", { name: "Add order line" }).click();
    const n = await page.locator("#line-rows tr").count();
    await page.getByLabel(`Line ${n} order ID`).fill(orderid);
    await page.getByLabel(`Line ${n} SKU`).fill(sku);
    await page.getByLabel(`Line ${n} quantity`).fill(qty);
  }

  async function fillTheScenario() {
    await page.getByRole("button", { name: "Clear all" }).click();
    expect(await summary()).toBe("Add batches and order lines to see the plan.");
    // The shipment is listed first, but warehouse stock goes first.
    await addBatch("ship-december", "RED-CHAIR", "10", "2026-12-01");
    await addBatch("warehouse-chairs", "RED-CHAIR", "5", null);
    await addBatch("ship-january", "RED-CHAIR", "20", "2027-01-15");
    await addBatch("warehouse-lamps", "BLUE-LAMP", "3", null);
    await addLine("order-1", "RED-CHAIR", "4");
    await addLine("order-2", "RED-CHAIR", "8");
    await addLine("order-3", "BLUE-LAMP", "5");
    await addLine("order-4", "RED-CHAIR", "1");
    await addLine("order-5", "RED-CHAIR", "12");
  }

  const CORRECT_LINES = [
    ["order-1", "RED-CHAIR", "4", "warehouse-chairs"],
    ["order-2", "RED-CHAIR", "8", "ship-december"],
    ["order-3", "BLUE-LAMP", "5", "Out of stock Not enough BLUE-LAMP left in any batch"],
    ["order-4", "RED-CHAIR", "1", "warehouse-chairs"],
    ["order-5", "RED-CHAIR", "12", "ship-january"],
  ];
  const CORRECT_BATCHES = [
    ["ship-december arrives 2026-12-01", "RED-CHAIR", "10", "8", "2"],
    ["warehouse-chairs in the warehouse", "RED-CHAIR", "5", "5", "0"],
    ["ship-january arrives 2027-01-15", "RED-CHAIR", "20", "12", "8"],
    ["warehouse-lamps in the warehouse", "BLUE-LAMP", "3", "0", "3"],
  ];

  it("plans the lines as they are typed: warehouse before shipments, earliest shipment next, and an out-of-stock line", async () => {
    await fillTheScenario();
    expect(await planLines()).toEqual(CORRECT_LINES);
    expect(await planBatches()).toEqual(CORRECT_BATCHES);
    expect(await summary()).toBe("4 of 5 order lines allocated, 1 out of stock.");

    await mkdir(REPORTS, { recursive: true });
    await page.screenshot({ path: `${REPORTS}what-if.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it("shows an error next to the field, from the library's ValidationError, and leaves that row out of the plan", async () => {
    await fillTheScenario();
    await page.getByLabel("Line 2 quantity").fill("2.5");
    expect(await errorNextTo("Line 2 quantity")).toEqual({
      text: "Enter a whole number, 1 or more",
      invalid: "true",
    });
    expect(await summary()).toBe(
      "3 of 4 order lines allocated, 1 out of stock, 1 row has an error and is left out.",
    );
    expect((await planLines()).map((row) => row[3])).toEqual([
      "warehouse-chairs",
      "Out of stock Not enough BLUE-LAMP left in any batch",
      "warehouse-chairs",
      "ship-january",
    ]);

    await page.getByLabel("Batch 3 reference").fill("ship-december");
    expect(await errorNextTo("Batch 3 reference")).toEqual({
      text: "Another batch has this reference",
      invalid: "true",
    });
    await page.getByLabel("Batch 1 arrives").selectOption("shipment");
    await page.getByLabel("Batch 1 ETA").fill("");
    expect((await errorNextTo("Batch 1 ETA")).text).toBe("Enter the date the shipment arrives");
    await page.screenshot({ path: `${REPORTS}what-if-errors.png`, fullPage: true });

    await page.getByLabel("Line 2 quantity").fill("8");
    await page.getByLabel("Batch 3 reference").fill("ship-january");
    await page.getByLabel("Batch 1 ETA").fill("2026-12-01");
    expect(await errorNextTo("Line 2 quantity")).toEqual({ text: "", invalid: null });
    expect(await planLines()).toEqual(CORRECT_LINES);
    expect(problems).toEqual([]);
  });

  it("updates the plan when a row is removed or a batch arrives from the warehouse instead", async () => {
    await fillTheScenario();
    await page.getByRole("button", { name: "Remove line 1" }).click();
    expect((await planLines()).map((row) => [row[0], row[3]])).toEqual([
      ["order-2", "ship-december"],
      ["order-3", "Out of stock Not enough BLUE-LAMP left in any batch"],
      ["order-4", "warehouse-chairs"],
      ["order-5", "ship-january"],
    ]);
    // Two batches in the warehouse now: the one listed first is tried first.
    await page.getByLabel("Batch 3 arrives").selectOption("warehouse");
    expect((await planLines()).map((row) => row[3])).toEqual([
      "ship-january",
      "Out of stock Not enough BLUE-LAMP left in any batch",
      "warehouse-chairs",
      "ship-january",
    ]);
    await page.getByRole("button", { name: "Remove batch 4" }).click();
    expect((await planLines())[1]?.[3]).toBe("Out of stock No batch of BLUE-LAMP");
    expect(problems).toEqual([]);
  });
});
