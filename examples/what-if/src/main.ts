import {
  type BatchRow,
  type FieldError,
  type LineRow,
  type OrderComparison,
  type PlannedLine,
  type PlannedOrder,
  type PlanView,
  planView,
  type ScenarioRow,
} from "./plan.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

let batchRows: Mutable<BatchRow>[] = [];
let lineRows: Mutable<LineRow>[] = [];
let scenario: Mutable<ScenarioRow> = { batch: "", change: "delay", amount: "30" };
let nextId = 1;

const newBatch = (values: Partial<BatchRow> = {}): Mutable<BatchRow> => ({
  reference: "",
  sku: "",
  qty: "",
  arrival: "warehouse",
  eta: "",
  ...values,
  id: `batch-${nextId++}`,
});

const newLine = (values: Partial<LineRow> = {}): Mutable<LineRow> => ({
  orderid: "",
  sku: "",
  qty: "",
  ...values,
  id: `line-${nextId++}`,
});

function loadExample(): void {
  batchRows = [
    newBatch({
      reference: "ship-december",
      sku: "RED-CHAIR",
      qty: "10",
      arrival: "shipment",
      eta: "2026-12-01",
    }),
    newBatch({ reference: "warehouse-chairs", sku: "RED-CHAIR", qty: "5" }),
    newBatch({
      reference: "ship-january",
      sku: "RED-CHAIR",
      qty: "20",
      arrival: "shipment",
      eta: "2027-01-15",
    }),
    newBatch({ reference: "warehouse-lamps", sku: "BLUE-LAMP", qty: "3" }),
  ];
  lineRows = [
    newLine({ orderid: "order-1", sku: "RED-CHAIR", qty: "4" }),
    newLine({ orderid: "order-1", sku: "BLUE-LAMP", qty: "2" }),
    newLine({ orderid: "order-2", sku: "RED-CHAIR", qty: "8" }),
    newLine({ orderid: "order-3", sku: "BLUE-LAMP", qty: "5" }),
    newLine({ orderid: "order-3", sku: "RED-CHAIR", qty: "2" }),
    newLine({ orderid: "order-4", sku: "RED-CHAIR", qty: "1" }),
    newLine({ orderid: "order-5", sku: "RED-CHAIR", qty: "12" }),
    newLine({ orderid: "order-5", sku: "BLUE-LAMP", qty: "1" }),
  ];
}

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page has no #${id}`);
  return element as T;
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  properties: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

/** An input with its label for assistive technology and the slot for its error. */
function field(
  row: string,
  name: string,
  label: string,
  value: string,
  attributes: Record<string, string> = {},
): HTMLElement[] {
  const errorId = `error-${row}-${name}`;
  const input = element("input", { value, name });
  input.dataset.row = row;
  input.setAttribute("aria-label", label);
  input.setAttribute("aria-describedby", errorId);
  for (const [key, attribute] of Object.entries(attributes)) input.setAttribute(key, attribute);
  return [input, element("span", { id: errorId, className: "field-error" })];
}

function removeButton(label: string, onClick: () => void): HTMLButtonElement {
  const button = element("button", { type: "button", className: "remove", textContent: "Remove" });
  button.setAttribute("aria-label", label);
  button.addEventListener("click", onClick);
  return button;
}

function renderRows(): void {
  byId("batch-rows").replaceChildren(
    ...batchRows.map((row, index) => {
      const name = `Batch ${index + 1}`;
      const arrival = element(
        "select",
        { name: "arrival" },
        element("option", { value: "warehouse", textContent: "Warehouse" }),
        element("option", { value: "shipment", textContent: "Shipment" }),
      );
      arrival.value = row.arrival;
      arrival.dataset.row = row.id;
      arrival.setAttribute("aria-label", `${name} arrives`);
      const [eta, etaError] = field(row.id, "eta", `${name} ETA`, row.eta, { type: "date" });
      (eta as HTMLInputElement).hidden = row.arrival === "warehouse";
      return element(
        "tr",
        {},
        element("td", {}, ...field(row.id, "reference", `${name} reference`, row.reference)),
        element("td", {}, ...field(row.id, "sku", `${name} SKU`, row.sku)),
        element(
          "td",
          {},
          ...field(row.id, "qty", `${name} quantity`, row.qty, {
            type: "number",
            min: "0",
            step: "1",
            inputmode: "numeric",
          }),
        ),
        element(
          "td",
          {},
          element("div", { className: "arrival" }, arrival, eta as HTMLElement),
          etaError as HTMLElement,
        ),
        element(
          "td",
          {},
          removeButton(`Remove ${name.toLowerCase()}`, () => {
            batchRows = batchRows.filter((other) => other !== row);
            renderRows();
          }),
        ),
      );
    }),
  );
  byId("line-rows").replaceChildren(
    ...lineRows.map((row, index) => {
      const name = `Line ${index + 1}`;
      return element(
        "tr",
        {},
        element("td", {}, ...field(row.id, "orderid", `${name} order ID`, row.orderid)),
        element("td", {}, ...field(row.id, "sku", `${name} SKU`, row.sku)),
        element(
          "td",
          {},
          ...field(row.id, "qty", `${name} quantity`, row.qty, {
            type: "number",
            min: "1",
            step: "1",
            inputmode: "numeric",
          }),
        ),
        element(
          "td",
          {},
          removeButton(`Remove ${name.toLowerCase()}`, () => {
            lineRows = lineRows.filter((other) => other !== row);
            renderRows();
          }),
        ),
      );
    }),
  );
  labelCells();
  refresh();
}

// On a phone the form's tables lay each row out as a card: every cell shows its column's name.
function labelCells(): void {
  for (const table of document.querySelectorAll<HTMLTableElement>("table.rows")) {
    const labels = Array.from(
      table.tHead?.rows[0]?.cells ?? [],
      (cell) => cell.textContent?.trim() ?? "",
    );
    for (const row of Array.from(table.tBodies[0]?.rows ?? [])) {
      Array.from(row.cells).forEach((cell, index) => {
        cell.dataset.label = labels[index] ?? "";
      });
    }
  }
}

function showErrors(errors: readonly FieldError[]): void {
  const byField = new Map(errors.map((error) => [`${error.row}-${error.field}`, error.message]));
  for (const input of document.querySelectorAll<HTMLInputElement>("#what-if input")) {
    const key = `${input.dataset.row}-${input.name}`;
    const message = byField.get(key);
    const slot = document.getElementById(`error-${key}`);
    if (slot !== null) slot.textContent = message ?? "";
    if (message === undefined) input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", "true");
  }
}

const CHANGE_WORDS: Readonly<Record<OrderComparison["change"], string>> = {
  unchanged: "No change",
  "held-back": "Now held back",
  ships: "Now ships complete",
  "other-batches": "Ships from other batches",
};

function showPlan(view: PlanView): void {
  const complete = view.orders.filter((order) => order.complete).length;
  const parts: string[] = [];
  if (view.lines.length === 0 && view.batches.length === 0) {
    parts.push("Add batches and order lines to see the plan");
  } else {
    const allocated = view.lines.filter((line) => line.batchref !== null).length;
    parts.push(
      `${complete} of ${view.orders.length} ${view.orders.length === 1 ? "order ships" : "orders ship"} complete (${allocated} of ${view.lines.length} lines allocated)`,
    );
    const held = view.orders.length - complete;
    if (held > 0) parts.push(`${held} held back`);
  }
  if (view.rowsWithErrors > 0) {
    parts.push(
      `${view.rowsWithErrors} ${view.rowsWithErrors === 1 ? "row has an error and is" : "rows have errors and are"} left out`,
    );
  }
  byId("plan-summary").textContent = `${parts.join(", ")}.`;

  const compared = view.scenario?.ok === true ? view.scenario : null;
  const etaOf = new Map(view.batches.map((batch) => [batch.reference, batch.eta]));
  const scenarioSummary = byId("scenario-summary");
  scenarioSummary.hidden = compared === null;
  if (compared !== null) {
    const changed = compared.orders.filter((order) => order.change !== "unchanged");
    scenarioSummary.textContent = `${compared.summary}: ${
      changed.length === 0
        ? "no order changes."
        : `${changed.length} ${changed.length === 1 ? "order changes" : "orders change"}: ${changed
            .map((order) => `${order.orderid} ${CHANGE_WORDS[order.change].toLowerCase()}`)
            .join(", ")}.`
    }`;
  }

  const orderList = byId("plan-orders");
  orderList.classList.toggle("compared", compared !== null);
  orderList.replaceChildren(
    ...(view.orders.length === 0
      ? [element("li", { className: "empty", textContent: "No orders yet." })]
      : view.orders.map((order, index) => {
          const comparison = compared?.orders[index];
          const item = element(
            "li",
            { className: "order" },
            element(
              "div",
              { className: "order-head" },
              element("span", { className: "orderid", textContent: order.orderid }),
              ...(comparison === undefined
                ? []
                : [
                    element("span", {
                      className: `change ${comparison.change}`,
                      textContent: CHANGE_WORDS[comparison.change],
                    }),
                  ]),
            ),
            element(
              "div",
              { className: "sides" },
              orderSide(order, comparison === undefined ? null : "Now", etaOf),
              ...(comparison === undefined
                ? []
                : [orderSide(comparison.after, "With the scenario", etaOf)]),
            ),
          );
          item.dataset.orderid = order.orderid;
          if (comparison !== undefined) item.dataset.change = comparison.change;
          return item;
        })),
  );

  const table = byId<HTMLTableElement>("plan-batches");
  table.classList.toggle("compared", compared !== null);
  const batchBody = table.tBodies[0] as HTMLTableSectionElement;
  batchBody.replaceChildren(
    ...(view.batches.length === 0
      ? [emptyRow(5, "No batches yet.")]
      : view.batches.map((batch) => {
          const after = compared?.remaining.get(batch.reference);
          return element(
            "tr",
            {},
            element(
              "td",
              {},
              element("span", { className: "reference", textContent: batch.reference }),
              element("span", {
                className: "arrives",
                textContent: `${batch.sku}, ${batch.eta === null ? "in the warehouse" : `arrives ${batch.eta}`}`,
              }),
            ),
            labelled("Purchased", { className: "number", textContent: count(batch.purchased) }),
            labelled("Planned", { className: "number", textContent: count(batch.planned) }),
            labelled(
              "Remaining",
              { className: "number remaining" },
              count(batch.remaining),
              meter(batch.remaining, batch.purchased),
            ),
            labelled(
              "With the scenario",
              { className: "number scenario-column" },
              ...(after === undefined
                ? []
                : after === null
                  ? [element("span", { className: "removed", textContent: "removed" })]
                  : [count(after), meter(after, batch.purchased)]),
            ),
          );
        })),
  );
}

/** A cell that names its column, for the card layout of a phone. */
function labelled(
  label: string,
  properties: Partial<HTMLTableCellElement>,
  ...children: (Node | string)[]
): HTMLTableCellElement {
  const cell = element("td", properties, ...children);
  cell.dataset.label = label;
  return cell;
}

/** One side of an order: its status and where each line goes. */
function orderSide(
  order: PlannedOrder,
  label: string | null,
  etaOf: ReadonlyMap<string, string | null>,
): HTMLElement {
  return element(
    "div",
    { className: `side ${order.complete ? "complete" : "held"}` },
    ...(label === null ? [] : [element("span", { className: "side-label", textContent: label })]),
    element("span", {
      className: `badge status ${order.complete ? "complete" : "out"}`,
      textContent: order.complete ? "Ships complete" : "Held back",
    }),
    element(
      "ul",
      { className: "order-lines" },
      ...order.lines.map((line) => lineItem(line, etaOf)),
    ),
  );
}

const REASON_WORDS: Readonly<Record<NonNullable<PlannedLine["reason"]>, (sku: string) => string>> =
  {
    "no-batch-for-sku": (sku) => `no batch of ${sku}`,
    "out-of-stock": (sku) => `not enough ${sku} left`,
    "waits-for-order": () => "waits for the rest of the order",
  };

function lineItem(line: PlannedLine, etaOf: ReadonlyMap<string, string | null>): HTMLLIElement {
  const where =
    line.batchref !== null
      ? element("span", {
          className: `badge ${etaOf.get(line.batchref) === null ? "warehouse" : "ship"}`,
          textContent: line.batchref,
        })
      : element("span", {
          className: "reason",
          textContent: REASON_WORDS[line.reason ?? "out-of-stock"](line.sku),
        });
  const item = element(
    "li",
    {},
    element("span", { className: "what", textContent: `${count(line.qty)} × ${line.sku}` }),
    where,
  );
  item.dataset.row = line.row;
  return item;
}

function meter(remaining: number, purchased: number): HTMLElement {
  const share = purchased === 0 ? 0 : (remaining / purchased) * 100;
  const bar = element("span", { className: "meter" }, element("span"));
  (bar.firstChild as HTMLElement).style.width = `${share}%`;
  bar.setAttribute("aria-hidden", "true");
  return bar;
}

const count = (value: number): string => value.toLocaleString("en-US");

function emptyRow(columns: number, text: string): HTMLTableRowElement {
  return element(
    "tr",
    {},
    element("td", { colSpan: columns, className: "empty", textContent: text }),
  );
}

function refresh(): void {
  const view = planView(batchRows, lineRows, scenario);
  showErrors(view.errors);
  showScenario(view);
  showPlan(view);
}

/** The scenario's controls: the batches to choose from, the amount's label, and its error. */
function showScenario(view: PlanView): void {
  const select = byId<HTMLSelectElement>("scenario-batch");
  const references = view.batches.map((batch) => batch.reference);
  // A chosen batch that has become invalid stays chosen, so that its error can be shown.
  if (scenario.batch !== "" && !references.includes(scenario.batch))
    references.push(scenario.batch);
  select.replaceChildren(
    element("option", { value: "", textContent: "No scenario" }),
    ...references.map((reference) =>
      element("option", { value: reference, textContent: reference }),
    ),
  );
  select.value = scenario.batch;
  byId<HTMLSelectElement>("scenario-change").value = scenario.change;
  byId("scenario-amount-field").hidden = scenario.change === "remove";
  byId("scenario-amount-label").textContent =
    scenario.change === "delay" ? "Days later" : "New quantity";
  const amount = byId<HTMLInputElement>("scenario-amount");
  amount.min = scenario.change === "delay" ? "1" : "0";
  const failed = view.scenario?.ok === false ? view.scenario : null;
  byId("scenario-error").textContent = failed?.message ?? "";
  for (const [control, field] of [
    [select, "batch"],
    [amount, "amount"],
  ] as const) {
    if (failed?.field === field) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
}

function onEdit(event: Event): void {
  const target = event.target;
  if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
  const id = target.dataset.row;
  const batch = batchRows.find((row) => row.id === id);
  const line = lineRows.find((row) => row.id === id);
  if (batch !== undefined) {
    if (target.name === "arrival") {
      batch.arrival = target.value === "shipment" ? "shipment" : "warehouse";
      const eta = target.parentElement?.querySelector<HTMLInputElement>('input[name="eta"]');
      if (eta) eta.hidden = batch.arrival === "warehouse";
    } else if (
      target.name === "reference" ||
      target.name === "sku" ||
      target.name === "qty" ||
      target.name === "eta"
    ) {
      batch[target.name] = target.value;
    }
  } else if (line !== undefined) {
    if (target.name === "orderid" || target.name === "sku" || target.name === "qty") {
      line[target.name] = target.value;
    }
  }
  refresh();
}

const form = byId<HTMLFormElement>("what-if");
form.addEventListener("input", onEdit);
form.addEventListener("change", onEdit);
form.addEventListener("submit", (event) => event.preventDefault());
byId("add-batch").addEventListener("click", () => {
  batchRows.push(newBatch());
  renderRows();
  byId("batch-rows").querySelector<HTMLInputElement>("tr:last-child input")?.focus();
});
byId("add-line").addEventListener("click", () => {
  lineRows.push(newLine());
  renderRows();
  byId("line-rows").querySelector<HTMLInputElement>("tr:last-child input")?.focus();
});
byId("clear").addEventListener("click", () => {
  batchRows = [];
  lineRows = [];
  renderRows();
});
byId("example").addEventListener("click", () => {
  loadExample();
  renderRows();
});

function onScenario(): void {
  const change = byId<HTMLSelectElement>("scenario-change").value;
  scenario = {
    batch: byId<HTMLSelectElement>("scenario-batch").value,
    change: change === "quantity" || change === "remove" ? change : "delay",
    amount: byId<HTMLInputElement>("scenario-amount").value,
  };
  refresh();
}

for (const id of ["scenario-batch", "scenario-change", "scenario-amount"]) {
  byId(id).addEventListener("input", onScenario);
  byId(id).addEventListener("change", onScenario);
}
byId("clear-scenario").addEventListener("click", () => {
  scenario = { ...scenario, batch: "" };
  refresh();
});

loadExample();
renderRows();
