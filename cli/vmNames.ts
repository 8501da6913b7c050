/**
 * VM names for the reports, read-only, when the Zerto connection is configured the way the
 * provider reads it from the environment (ZERTO_URL, ZERTO_USERNAME, ZERTO_PASSWORD, ...). VCDA
 * replications need no look-up: their state already holds the VM's name (vmName).
 */
import { zertoConnection } from "../provider/connection";
import { createZertoClient } from "../provider/zerto/client";
import { zertoVmNames } from "../provider/zerto/names";

/** Names by VM id; empty (ids are shown) when no connection is set or the look-up fails. */
export async function lookUpVmNames(vmIds: string[], warn: (message: string) => void): Promise<Map<string, string>> {
  if (vmIds.length === 0 || !process.env.ZERTO_URL) return new Map();
  try {
    return await zertoVmNames(createZertoClient(zertoConnection(), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 }), vmIds);
  } catch (err) {
    warn(`VM names not looked up (${(err as Error).message}); VM ids are shown instead`);
    return new Map();
  }
}
