/**
 * VM, site and recovery-placement (network, datastore, host …) names for the reports, read-only,
 * when the Zerto connection is configured the way the provider reads it from the environment
 * (ZERTO_URL, ZERTO_USERNAME, ZERTO_PASSWORD, ...). VCDA replications need no look-up: their state
 * already holds the VM's name (vmName).
 */
import { zertoConnection } from "../provider/connection";
import { createZertoClient } from "../provider/zerto/client";
import { zertoPlacementNames, zertoSiteNames, zertoVmNames } from "../provider/zerto/names";
import { shortType, Step } from "./changes";

/** The recovery sites of the VPGs in the steps, before and after: where their networks and datastores are. */
export function recoverySiteIdsIn(steps: Step[]): string[] {
  const ids = steps.filter((s) => shortType(s.oldState?.type ?? s.newState?.type) === "zerto:Vpg")
    .flatMap((s) => [s.oldState?.outputs?.recoverySiteId, s.oldState?.inputs?.recoverySiteId, s.newState?.inputs?.recoverySiteId]);
  return [...new Set(ids.filter((id): id is string => typeof id === "string"))];
}

/**
 * Names by VM id, Zerto site id and the ids of the recovery sites' networks, datastores, hosts …
 * (the ids never collide); empty (ids are shown) when no connection is set or the look-up fails.
 */
export async function lookUpNames(vmIds: string[], warn: (message: string) => void, recoverySiteIds: string[] = []): Promise<Map<string, string>> {
  if (!process.env.ZERTO_URL) return new Map();
  try {
    const client = createZertoClient(zertoConnection(), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 });
    const [placement, sites, vms] = await Promise.all([zertoPlacementNames(client, recoverySiteIds), zertoSiteNames(client), zertoVmNames(client, vmIds)]);
    return new Map([...placement, ...sites, ...vms]);
  } catch (err) {
    warn(`names not looked up (${(err as Error).message}); VM ids are shown instead`);
    return new Map();
  }
}
