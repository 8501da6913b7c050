import * as pulumi from "@pulumi/pulumi";

/**
 * Gives each input the program did not set a member that resolves to undefined, without
 * registering it with the engine. @pulumi/pulumi captures a stack trace for every registered
 * property; registering every input of every resource made a no-change preview of 100 resources
 * cost about 1.35× a no-op resource's (bench/RESULTS.md), nearly all of it in those captures.
 */
export function settleUnsetInputs(resource: pulumi.Resource, keys: readonly string[]): void {
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(resource, key)) {
      Object.defineProperty(resource, key, { value: pulumi.output(undefined), enumerable: true });
    }
  }
}
