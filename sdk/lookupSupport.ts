import * as pulumi from "@pulumi/pulumi";
import { configure } from "../provider/connection";

/**
 * What the SDK's getX look-ups share. They run in the program process (not in the dynamic provider),
 * so they read the connection the way the provider does: the stack's config (secrets decrypted in
 * memory only), else the environment, or the named `profile`. Their results hold ids, names and
 * attributes only: no credential reaches a result, an error or the state.
 */

/** Names the connection: one of several configured under `<product>:profiles`; the default connection when absent. */
export interface ConnectionArgs {
  profile?: string;
}

/** A look-up's arguments, each of which may be an Output (the `getXOutput` form). */
export type LookupOutputArgs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/** Hands the program's stack config to the connection settings, before each look-up (config does not change during a run). */
export function useProgramConfig(): void {
  const config = pulumi.runtime.allConfig();
  configure({ get: (key: string) => config[key] });
}

/** The Output form of a look-up: runs it once every argument is known (never during a preview that cannot know them). */
export function lookupOutput<A, R>(lookup: (args: A) => Promise<R>, args: LookupOutputArgs<A>): pulumi.Output<R> {
  return pulumi.output(args as pulumi.Input<A>).apply((plain) => lookup(plain as A)) as pulumi.Output<R>;
}
