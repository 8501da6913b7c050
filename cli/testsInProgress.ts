/**
 * Which VPGs of a refresh run a failover test now, for `pulumi-drprotect drift` to say so as
 * information: a test runs beside replication and is no drift (docs/api-notes/zerto.md#failover-tests-and-checkpoints).
 * Read-only (GET /v1/vpgs); a VPG that cannot be read is left out, since this is only information.
 */
import { zertoConnection } from "../provider/connection";
import { createZertoClient } from "../provider/zerto/client";
import type { ZertoVpg } from "../provider/zerto/models";
import { nameOfUrn, shortType, Step } from "./changes";

export async function vpgsUnderTest(steps: Step[]): Promise<string[]> {
  const vpgs = steps.filter((s) => s.op === "refresh" && shortType(s.oldState?.type) === "zerto:Vpg" && typeof s.oldState?.outputs?.vpgId === "string");
  // one GET /v1/vpgs per connection, however many VPGs the refresh read
  const listings = new Map<string, Promise<ZertoVpg[]>>();
  const listed = (profile: unknown) => {
    const key = typeof profile === "string" ? profile : "";
    if (!listings.has(key)) listings.set(key, createZertoClient(zertoConnection(key || undefined), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 }).listVpgs());
    return listings.get(key)!;
  };
  const testing = await Promise.all(vpgs.map(async (step) => {
    const outputs = step.oldState!.outputs!;
    try {
      const vpg = (await listed(outputs.profile)).find((v) => v.VpgIdentifier === outputs.vpgId);
      return vpg?.ActiveProcessesApi?.RunningFailOverTestApi ? nameOfUrn(step.urn) : undefined;
    } catch {
      return undefined;
    }
  }));
  return testing.filter((name): name is string => name !== undefined);
}
