/**
 * The SQLSTATE of a database error, if the value is one (pg and PGlite both
 * put it in `code`).
 *
 * @internal
 */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code: unknown = (error as { code?: unknown }).code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** @internal */
export function constraintOf(error: unknown): string | undefined {
  const constraint: unknown = (error as { constraint?: unknown }).constraint;
  return typeof constraint === "string" ? constraint : undefined;
}

/** @internal */
export function detailOf(error: unknown): string {
  const detail: unknown = (error as { detail?: unknown }).detail;
  return typeof detail === "string" ? detail : "";
}
