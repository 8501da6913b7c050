/**
 * Which VPGs of a refresh run a failover test now, for `pulumi-drprotect drift` to say so as
 * information: a test runs beside replication and is no drift (docs/api-notes/zerto.md#failover-tests-and-checkpoints).
 * Read-only (GET /v1/vpgs/{id}); a VPG that cannot be read is left out, since this is only information.
 */
import { zertoConnection } from "../provider/connection";
import { createZertoClient, ZertoClient } from "../provider/zerto/client";
import { nameOfUrn, shortType, Step } from "./changes";

export async function vpgsUnderTest(steps: Step[]): Promise<string[]> {
  const vpgs = steps.filter((s) => s.op === "refresh" && shortType(s.oldState?.type) === "zerto:Vpg" && typeof s.oldState?.outputs?.vpgId === "string");
  const clients = new Map<string, ZertoClient>();
  const clientFor = (profile: unknown) => {
    const key = typeof profile === "string" ? profile : "";
    if (!clients.has(key)) clients.set(key, createZertoClient(zertoConnection(key || undefined), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 }));
    return clients.get(key)!;
  };
  const testing = await Promise.all(vpgs.map(async (step) => {
    const outputs = step.oldState!.outputs!;
    try {
      const vpg = await clientFor(outputs.profile).getVpg(String(outputs.vpgId));
      return vpg?.ActiveProcessesApi?.RunningFailOverTestApi ? nameOfUrn(step.urn) : undefined;
    } catch {
      return undefined;
    }
  }));
  return testing.filter((name): name is string => name !== undefined);
}
