/**
 * Read-only look-up of VM names for reports: VM identifiers such as `<vCenter>.vm-103` mean nothing
 * to a reviewer. Only documented GET endpoints: /v1/vms (protected VMs, with VmName), /v1/localsite
 * and /v1/virtualizationsites/{siteId}/vms (a site's unprotected VMs, with VmName).
 */
import type { ZertoClient } from "./client";

type Lookups = Pick<ZertoClient, "listProtectedVms" | "listSiteObjects" | "localSite">;

/** Names of the given VMs that the ZVM knows; VMs it does not know are left out. */
export async function zertoVmNames(client: Lookups, vmIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const record = (rows: Array<Record<string, any>> | undefined) => {
    for (const row of rows ?? []) if (typeof row.VmIdentifier === "string" && typeof row.VmName === "string") names.set(row.VmIdentifier, row.VmName);
  };
  if (vmIds.length === 0) return names;
  record(await client.listProtectedVms());
  // VMs not protected yet (being added) are listed by the protected site, the ZVM's own
  if (vmIds.some((id) => !names.has(id))) {
    const local = await client.localSite();
    if (typeof local?.SiteIdentifier === "string") record(await client.listSiteObjects(local.SiteIdentifier, "vms"));
  }
  return new Map(vmIds.filter((id) => names.has(id)).map((id) => [id, names.get(id)!]));
}
