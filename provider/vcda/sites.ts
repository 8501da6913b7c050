/** Where a replication goes: its destination's type and site, as POST /vm-replications has them (the source does not matter). */
export interface ReplicationEnds {
  destination: { type: string; site: string };
}

/** Destination types that are a cloud site (VMware Cloud Director): the others are on-premises vCenter Servers. */
const CLOUD_DESTINATION_TYPES = ["vcloud", "vm"];

/**
 * The `site` query parameter of every call about a replication (start, read, reconfigure, stop, its tasks),
 * chosen as the VCDA 4.1 API's requests show it (docs/api-notes/vcda.md#the-site-a-request-runs-on);
 * undefined means "send none", which is the local site:
 * - cloud → cloud (`vm` → `vcloud`/`vm`): the destination site
 *   ("POST /vm-replications?site=site2" with source site1, destination site2, both examples);
 * - on-premises → cloud (`vcVm` → `vcloud`/`vm`): the destination cloud site, the same request line
 *   in both on-premises examples (source site1, destination site2);
 * - cloud → on-premises (`vm` → `vc`/`vcVm`): no `site` ("POST /vm-replications HTTP/1.1" with
 *   destination "onprem1"): an on-premises site is no site a cloud VCDA runs operations on.
 * The documented reads and day-2 calls (GET, PATCH, DELETE /vm-replications/{id}, …/sync, …/pause)
 * send the same `?site=site2` as the start.
 */
export function replicationSite(ends: ReplicationEnds): string | undefined {
  return CLOUD_DESTINATION_TYPES.includes(ends.destination.type) ? ends.destination.site : undefined;
}
