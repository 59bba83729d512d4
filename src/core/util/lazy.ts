/**
 * A value made on first use and kept: for a module required only when it is needed (`lazy(() => require(…))`), so
 * that a process that never needs it does not spend its start-up initialising it.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
