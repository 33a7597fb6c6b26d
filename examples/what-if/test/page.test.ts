// The page as a user sees it: built from the installed package, served
// statically, driven in Debian's Chromium through playwright-core.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
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

const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

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
    await mkdir(REPORTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function open(viewport: { width: number; height: number }, path = "") {
    problems.length = 0;
    page = await browser.newPage({ viewport });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${site.url}${path}`);
  }
  afterEach(async () => {
    await page?.close();
  });

  const text = (selector: string) =>
    page.$eval(selector, (node) => (node.textContent ?? "").replace(/\s+/g, " ").trim());
  const summary = () => text("#plan-summary");
  /** Each order as shown: its id, its change under the scenario, and each side's status and lines. */
  const planOrders = () =>
    page.$$eval("#plan-orders > li.order", (items) =>
      items.map((item) => {
        const words = (node: Element) =>
          Array.from(node.childNodes, (child) => child.textContent ?? "")
            .join(" ")
            .replace(/\s+/g, " ")
            .trim();
        return {
          orderid: item.querySelector(".orderid")?.textContent ?? "",
          change: item.querySelector(".change")?.textContent ?? null,
          sides: Array.from(item.querySelectorAll(".side"), (side) => [
            side.querySelector(".status")?.textContent ?? "",
            ...Array.from(side.querySelectorAll(".order-lines li"), words),
          ]),
        };
      }),
    );
  /** Each batch's reference and figures: purchased, planned, remaining (and with the scenario). */
  const planBatches = () =>
    page.$$eval("#plan-batches tbody tr", (rows) =>
      rows.map((row) => [
        row.querySelector(".reference")?.textContent ?? "",
        ...Array.from(row.querySelectorAll("td.number"), (cell) =>
          (cell.textContent ?? "").trim(),
        ).filter((cell, index) => index < 3 || cell !== ""),
      ]),
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

  /** Types the example's stock and orders, as a user would. */
  async function fillTheExample() {
    await page.getByRole("button", { name: "Clear all" }).click();
    expect(await summary()).toBe("Add batches and order lines to see the plan.");
    // The shipment is listed first, but warehouse stock goes first.
    await addBatch("ship-december", "RED-CHAIR", "10", "2026-12-01");
    await addBatch("warehouse-chairs", "RED-CHAIR", "5", null);
    await addBatch("ship-january", "RED-CHAIR", "20", "2027-01-15");
    await addBatch("warehouse-lamps", "BLUE-LAMP", "3", null);
    await addLine("order-1", "RED-CHAIR", "4");
    await addLine("order-1", "BLUE-LAMP", "2");
    await addLine("order-2", "RED-CHAIR", "8");
    await addLine("order-3", "BLUE-LAMP", "5");
    await addLine("order-3", "RED-CHAIR", "2");
    await addLine("order-4", "RED-CHAIR", "1");
    await addLine("order-5", "RED-CHAIR", "12");
    await addLine("order-5", "BLUE-LAMP", "1");
  }

  async function tryScenario(batch: string, change: "delay" | "quantity" | "remove", amount = "") {
    await page.getByLabel("Batch", { exact: true }).selectOption(batch);
    await page.getByLabel("Change", { exact: true }).selectOption(change);
    if (change !== "remove") {
      await page.getByLabel(change === "delay" ? "Days later" : "New quantity").fill(amount);
    }
  }

  /** No sideways scroll on the page, and every Remaining figure on screen, clipped by nothing. */
  async function expectFitAndRemainingShown(width: number) {
    const fit = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
    expect(fit.clientWidth).toBe(width);
    const cells = await page.$$eval("#plan-batches td.remaining", (found) =>
      found.map((cell) => {
        const box = cell.getBoundingClientRect();
        const clippedBy: string[] = [];
        for (let node = cell.parentElement; node !== null; node = node.parentElement) {
          const style = getComputedStyle(node);
          const clips = style.overflowX !== "visible";
          const outer = node.getBoundingClientRect();
          if (clips && (box.left < outer.left || box.right > outer.right + 0.5))
            clippedBy.push(node.tagName);
        }
        return {
          visible:
            box.width > 0 && box.height > 0 && getComputedStyle(cell).visibility !== "hidden",
          inside: box.left >= 0 && box.right <= document.documentElement.clientWidth,
          clippedBy,
          // On a phone the header row gives way to a label above each figure.
          label:
            getComputedStyle(cell, "::before").content === '"Remaining"' ||
            (cell.closest("table")?.querySelector("thead th:nth-child(4)")?.checkVisibility() ??
              false),
          figure: (cell.textContent ?? "").trim(),
        };
      }),
    );
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      expect(cell).toMatchObject({ visible: true, inside: true, clippedBy: [], label: true });
      expect(cell.figure).toMatch(/^[\d,]+$/);
    }
  }

  const EXAMPLE_ORDERS = [
    {
      orderid: "order-1",
      change: null,
      sides: [
        ["Ships complete", "4 × RED-CHAIR warehouse-chairs", "2 × BLUE-LAMP warehouse-lamps"],
      ],
    },
    {
      orderid: "order-2",
      change: null,
      sides: [["Ships complete", "8 × RED-CHAIR ship-december"]],
    },
    {
      orderid: "order-3",
      change: null,
      sides: [
        [
          "Held back",
          "5 × BLUE-LAMP not enough BLUE-LAMP left",
          "2 × RED-CHAIR waits for the rest of the order",
        ],
      ],
    },
    {
      orderid: "order-4",
      change: null,
      sides: [["Ships complete", "1 × RED-CHAIR warehouse-chairs"]],
    },
    {
      orderid: "order-5",
      change: null,
      sides: [["Ships complete", "12 × RED-CHAIR ship-january", "1 × BLUE-LAMP warehouse-lamps"]],
    },
  ];
  const EXAMPLE_BATCHES = [
    ["ship-december", "10", "8", "2"],
    ["warehouse-chairs", "5", "5", "0"],
    ["ship-january", "20", "12", "8"],
    ["warehouse-lamps", "3", "3", "0"],
  ];

  for (const viewport of VIEWPORTS) {
    describe(`at ${viewport.name} width (${viewport.width} px)`, () => {
      it("plans whole orders as they are typed: each order complete or held back, with the batch of each line", async () => {
        await open(viewport);
        await fillTheExample();
        expect(await planOrders()).toEqual(EXAMPLE_ORDERS);
        expect(await planBatches()).toEqual(EXAMPLE_BATCHES);
        // order-3 cannot get its five lamps, so its two chairs stay for order-4 and order-5.
        expect(await summary()).toBe(
          "4 of 5 orders ship complete (6 of 8 lines allocated), 1 held back.",
        );
        await expectFitAndRemainingShown(viewport.width);
        await page.screenshot({ path: `${REPORTS}what-if-${viewport.name}.png`, fullPage: true });
        expect(problems).toEqual([]);
      });

      it("shows which orders a scenario on a batch changes, beside the plan before it", async () => {
        await open(viewport);
        await page.getByRole("heading", { name: "What-if allocation" }).waitFor();
        expect(await planOrders()).toEqual(EXAMPLE_ORDERS);

        // Delayed past January, December's chairs are no longer the earliest: order-2 moves.
        await tryScenario("ship-december", "delay", "60");
        expect(await text("#scenario-summary")).toBe(
          "ship-december arrives 60 days later, on 2027-01-30: 1 order changes: order-2 ships from other batches.",
        );
        const delayed = await planOrders();
        expect(delayed.map((order) => order.change)).toEqual([
          "No change",
          "Ships from other batches",
          "No change",
          "No change",
          "No change",
        ]);
        expect(delayed[1]?.sides).toEqual([
          ["Ships complete", "8 × RED-CHAIR ship-december"],
          ["Ships complete", "8 × RED-CHAIR ship-january"],
        ]);
        expect(await planBatches()).toEqual([
          ["ship-december", "10", "8", "2", "10"],
          ["warehouse-chairs", "5", "5", "0", "0"],
          ["ship-january", "20", "12", "8", "0"],
          ["warehouse-lamps", "3", "3", "0", "0"],
        ]);
        await expectFitAndRemainingShown(viewport.width);
        await page.screenshot({
          path: `${REPORTS}what-if-${viewport.name}-scenario.png`,
          fullPage: true,
        });

        // Two lamps fewer: order-1 still gets its two, order-5 no longer gets its one.
        await tryScenario("warehouse-lamps", "quantity", "2");
        const fewer = await planOrders();
        expect(fewer.map((order) => [order.orderid, order.change])).toEqual([
          ["order-1", "No change"],
          ["order-2", "No change"],
          ["order-3", "No change"],
          ["order-4", "No change"],
          ["order-5", "Now held back"],
        ]);
        expect(fewer[4]?.sides[1]).toEqual([
          "Held back",
          "12 × RED-CHAIR waits for the rest of the order",
          "1 × BLUE-LAMP not enough BLUE-LAMP left",
        ]);

        // Without the warehouse chairs, order-1 and order-4 take from the shipments.
        await tryScenario("warehouse-chairs", "remove");
        expect(await text("#scenario-summary")).toBe(
          "Without warehouse-chairs: 3 orders change: order-1 ships from other batches, order-2 ships from other batches, order-4 ships from other batches.",
        );
        expect((await planBatches())[1]).toEqual(["warehouse-chairs", "5", "5", "0", "removed"]);
        await expectFitAndRemainingShown(viewport.width);

        await page.getByRole("button", { name: "Clear scenario" }).click();
        expect(await planOrders()).toEqual(EXAMPLE_ORDERS);
        expect(await page.locator("#scenario-summary").isVisible()).toBe(false);
        expect(problems).toEqual([]);
      });
    });
  }

  it("shows an error next to the field, saying what is wrong, and leaves that row out of the plan", async () => {
    await open(VIEWPORTS[0]);
    await fillTheExample();
    await page.getByLabel("Line 3 quantity").fill("2.5");
    expect(await errorNextTo("Line 3 quantity")).toEqual({
      text: "Enter a whole number, 1 or more",
      invalid: "true",
    });
    expect(await summary()).toBe(
      "3 of 4 orders ship complete (5 of 7 lines allocated), 1 held back, 1 row has an error and is left out.",
    );

    // What a new user typed: a quantity beyond what JavaScript counts exactly.
    await page.getByLabel("Batch 1 quantity").fill("99999999999999999999");
    expect(await errorNextTo("Batch 1 quantity")).toEqual({
      text: "Too large: the most is 9,007,199,254,740,991",
      invalid: "true",
    });
    await page.getByLabel("Batch 1 quantity").fill("9007199254740991");
    expect((await errorNextTo("Batch 1 quantity")).text).toBe("");
    // With order-2 left out, order-5's twelve chairs now come from the (huge) December shipment.
    expect((await planBatches())[0]).toEqual([
      "ship-december",
      "9,007,199,254,740,991",
      "12",
      "9,007,199,254,740,979",
    ]);
    await expectFitAndRemainingShown(1280);

    await page.getByLabel("Batch 3 reference").fill("ship-december");
    expect(await errorNextTo("Batch 3 reference")).toEqual({
      text: "Another batch has this reference",
      invalid: "true",
    });
    await page.getByLabel("Batch 1 arrives").selectOption("shipment");
    await page.getByLabel("Batch 1 ETA").fill("");
    expect((await errorNextTo("Batch 1 ETA")).text).toBe("Enter the date the shipment arrives");

    // A scenario says what is wrong with it too.
    await tryScenario("warehouse-chairs", "delay", "5");
    expect(await text("#scenario-error")).toBe(
      "warehouse-chairs is in the warehouse: it has no arrival to delay",
    );
    await tryScenario("warehouse-chairs", "quantity", "99999999999999999999");
    expect(await text("#scenario-error")).toBe("Too large: the most is 9,007,199,254,740,991");
    expect(await page.getByLabel("New quantity").getAttribute("aria-invalid")).toBe("true");
    await page.screenshot({ path: `${REPORTS}what-if-errors.png`, fullPage: true });

    await page.getByLabel("Line 3 quantity").fill("8");
    await page.getByLabel("Batch 1 quantity").fill("10");
    await page.getByLabel("Batch 3 reference").fill("ship-january");
    await page.getByLabel("Batch 1 ETA").fill("2026-12-01");
    await page.getByRole("button", { name: "Clear scenario" }).click();
    expect(await errorNextTo("Line 3 quantity")).toEqual({ text: "", invalid: null });
    expect(await text("#scenario-error")).toBe("");
    expect(await planOrders()).toEqual(EXAMPLE_ORDERS);
    expect(problems).toEqual([]);
  });

  it("updates the plan when a row is removed or a batch arrives from the warehouse instead", async () => {
    await open(VIEWPORTS[0]);
    await fillTheExample();
    await page.getByRole("button", { name: "Remove line 1" }).click();
    // order-1 keeps only its lamps; order-2's eight chairs still do not fit in the warehouse's five.
    expect((await planOrders()).map((order) => [order.orderid, order.sides[0]])).toEqual([
      ["order-1", ["Ships complete", "2 × BLUE-LAMP warehouse-lamps"]],
      ["order-2", ["Ships complete", "8 × RED-CHAIR ship-december"]],
      [
        "order-3",
        [
          "Held back",
          "5 × BLUE-LAMP not enough BLUE-LAMP left",
          "2 × RED-CHAIR waits for the rest of the order",
        ],
      ],
      ["order-4", ["Ships complete", "1 × RED-CHAIR warehouse-chairs"]],
      [
        "order-5",
        ["Ships complete", "12 × RED-CHAIR ship-january", "1 × BLUE-LAMP warehouse-lamps"],
      ],
    ]);
    // Two batches of chairs in the warehouse now: the one listed first is tried first.
    await page.getByLabel("Batch 3 arrives").selectOption("warehouse");
    expect((await planOrders())[1]?.sides[0]).toEqual([
      "Ships complete",
      "8 × RED-CHAIR ship-january",
    ]);
    await page.getByRole("button", { name: "Remove batch 4" }).click();
    expect((await planOrders())[0]?.sides[0]).toEqual([
      "Held back",
      "2 × BLUE-LAMP no batch of BLUE-LAMP",
    ]);
    expect(problems).toEqual([]);
  });

  it('runs the library from a plain <script type="module">, with no bundler, through an import map', async () => {
    const requested: string[] = [];
    await open(VIEWPORTS[1], "plain.html");
    page.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await page.reload();
    await page.locator("#orders li").first().waitFor();
    expect(
      await page.$$eval("#orders li", (items) => items.map((item) => item.textContent)),
    ).toEqual([
      "order-1: held back (4 × LAMP: not allocated; 2 × SOFA: not allocated)",
      "order-2: ships complete (5 × LAMP: warehouse-lamps)",
    ]);
    expect(await text("#remaining")).toBe(
      "Remaining: warehouse-lamps 0, ship-lamps 10, warehouse-sofas 1.",
    );
    expect(requested).toContain("/vendor/cosmic-allocation/index.js");
    expect(requested).not.toContain("/app.js");
    await page.screenshot({ path: `${REPORTS}what-if-plain.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
