/**
 * The key of {@link UnitOfWork}'s dispose method at runtime. Browsers without
 * explicit resource management lack `Symbol.asyncDispose`; TypeScript's and
 * esbuild's downlevelled `await using` then look the method up under this
 * registered symbol, so adapters define it, and callers call it, by this key.
 *
 * @internal
 */
/* v8 ignore start -- @preserve: every supported Node.js has Symbol.asyncDispose; the fallback is for browsers */
export const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for("Symbol.asyncDispose") as typeof Symbol.asyncDispose);
/* v8 ignore stop -- @preserve */
