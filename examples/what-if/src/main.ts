import { type BatchRow, type FieldError, type LineRow, type PlanView, planView } from "./plan.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

let batchRows: Mutable<BatchRow>[] = [];
let lineRows: Mutable<LineRow>[] = [];
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
    newLine({ orderid: "order-2", sku: "RED-CHAIR", qty: "8" }),
    newLine({ orderid: "order-3", sku: "BLUE-LAMP", qty: "5" }),
    newLine({ orderid: "order-4", sku: "RED-CHAIR", qty: "1" }),
    newLine({ orderid: "order-5", sku: "RED-CHAIR", qty: "12" }),
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
  refresh();
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

function showPlan(view: PlanView): void {
  const allocated = view.lines.filter((line) => line.batchref !== null).length;
  const parts: string[] = [];
  if (view.lines.length === 0 && view.batches.length === 0) {
    parts.push("Add batches and order lines to see the plan");
  } else {
    parts.push(`${allocated} of ${view.lines.length} order lines allocated`);
    const out = view.lines.length - allocated;
    if (out > 0) parts.push(`${out} out of stock`);
  }
  if (view.rowsWithErrors > 0) {
    parts.push(
      `${view.rowsWithErrors} ${view.rowsWithErrors === 1 ? "row has an error and is" : "rows have errors and are"} left out`,
    );
  }
  byId("plan-summary").textContent = `${parts.join(", ")}.`;

  const etaOf = new Map(view.batches.map((batch) => [batch.reference, batch.eta]));
  const lineBody = byId<HTMLTableElement>("plan-lines").tBodies[0] as HTMLTableSectionElement;
  lineBody.replaceChildren(
    ...(view.lines.length === 0
      ? [emptyRow(4, "No order lines yet.")]
      : view.lines.map((line) => {
          const where =
            line.batchref === null
              ? [
                  element("span", { className: "badge out", textContent: "Out of stock" }),
                  element("span", {
                    className: "reason",
                    textContent:
                      line.reason === "no-batch-for-sku"
                        ? `No batch of ${line.sku}`
                        : `Not enough ${line.sku} left in any batch`,
                  }),
                ]
              : [
                  element("span", {
                    className: `badge ${etaOf.get(line.batchref) === null ? "warehouse" : "ship"}`,
                    textContent: line.batchref,
                  }),
                ];
          const row = element(
            "tr",
            {},
            element("td", { textContent: line.orderid }),
            element("td", { textContent: line.sku }),
            element("td", { className: "number", textContent: String(line.qty) }),
            element("td", {}, ...where),
          );
          row.dataset.row = line.row;
          return row;
        })),
  );

  const batchBody = byId<HTMLTableElement>("plan-batches").tBodies[0] as HTMLTableSectionElement;
  batchBody.replaceChildren(
    ...(view.batches.length === 0
      ? [emptyRow(5, "No batches yet.")]
      : view.batches.map((batch) => {
          const share = batch.purchased === 0 ? 0 : (batch.remaining / batch.purchased) * 100;
          const meter = element("span", { className: "meter" }, element("span"));
          (meter.firstChild as HTMLElement).style.width = `${share}%`;
          meter.setAttribute("aria-hidden", "true");
          return element(
            "tr",
            {},
            element(
              "td",
              {},
              batch.reference,
              element("span", {
                className: "arrives",
                textContent: batch.eta === null ? "in the warehouse" : `arrives ${batch.eta}`,
              }),
            ),
            element("td", { textContent: batch.sku }),
            element("td", { className: "number", textContent: String(batch.purchased) }),
            element("td", { className: "number", textContent: String(batch.planned) }),
            element("td", { className: "number" }, String(batch.remaining), meter),
          );
        })),
  );
}

function emptyRow(columns: number, text: string): HTMLTableRowElement {
  return element(
    "tr",
    {},
    element("td", { colSpan: columns, className: "empty", textContent: text }),
  );
}

function refresh(): void {
  const view = planView(batchRows, lineRows);
  showErrors(view.errors);
  showPlan(view);
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

loadExample();
renderRows();
