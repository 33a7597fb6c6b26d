// Every runtime the entry targets has setTimeout, but it is in neither ES2022
// nor the entry's type libraries (no DOM, no Node), so it is reached through globalThis.
interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
}

/**
 * Waits `ms` milliseconds.
 *
 * @internal
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => (globalThis as unknown as Timers).setTimeout(resolve, ms));
}
