import { cachedLookup } from "./preflight";

/**
 * A look-up client whose listings are read once per process and shared by every look-up: the SDK's
 * getX functions run in the program's process, which lives for one `pulumi` run and writes nothing
 * to an appliance, so a program that looks up 100 VMs of one site lists that site's VMs once.
 * `scope` tells connections apart (endpoint and profile); `methods` are the client's listings.
 */
export function withSharedListings<C extends object>(client: C, scope: string, methods: ReadonlyArray<keyof C>): C {
  const shared = Object.create(client) as C;
  for (const name of methods) {
    const method = client[name];
    if (typeof method !== "function") continue;
    Object.defineProperty(shared, name, {
      value: (...args: unknown[]) => cachedLookup(`lookup|${scope}|${String(name)}|${JSON.stringify(args)}`, () => method.apply(client, args)),
    });
  }
  return shared;
}
