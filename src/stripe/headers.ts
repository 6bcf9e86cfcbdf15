/**
 * A response header as stripe-node hands it over: a plain object from its Node client, a `Headers`
 * from its fetch client (Workers, Deno, Bun, in-process tests). Names are lower case in both.
 */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function')
    return (get as (name: string) => string | null).call(headers, name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}
