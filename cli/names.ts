/**
 * VM and site names for the reports, read-only, when the Zerto connection is configured the way the
 * provider reads it from the environment (ZERTO_URL, ZERTO_USERNAME, ZERTO_PASSWORD, ...). VCDA
 * replications need no look-up: their state already holds the VM's name (vmName).
 */
import { zertoConnection } from "../provider/connection";
import { createZertoClient } from "../provider/zerto/client";
import { zertoSiteNames, zertoVmNames } from "../provider/zerto/names";

/**
 * Names by VM id and by Zerto site id (the ids never collide); empty (ids are shown) when no
 * connection is set or the look-up fails.
 */
export async function lookUpNames(vmIds: string[], warn: (message: string) => void): Promise<Map<string, string>> {
  if (!process.env.ZERTO_URL) return new Map();
  try {
    const client = createZertoClient(zertoConnection(), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 });
    return new Map([...await zertoSiteNames(client), ...await zertoVmNames(client, vmIds)]);
  } catch (err) {
    warn(`names not looked up (${(err as Error).message}); VM ids are shown instead`);
    return new Map();
  }
}
