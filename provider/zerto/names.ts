/**
 * Read-only look-ups of names for reports: identifiers such as `<vCenter>.vm-103` or a site GUID
 * mean nothing to a reviewer. Only documented GET endpoints: /v1/vms (protected VMs, with VmName),
 * /v1/localsite, /v1/peersites and /v1/virtualizationsites/{siteId}/{kind} (a site's VMs, networks,
 * datastores, hosts …).
 */
import type { ZertoClient } from "./client";
import type { ZertoLocalSite, ZertoPeerSite, ZertoSiteObject } from "./models";

type Lookups = Pick<ZertoClient, "listProtectedVms" | "listSiteObjects" | "localSite" | "listPeerSites">;

/** A site's identifier: SiteIdentifier where the ZVM sends it, else its self link's identifier. */
export function siteIdOf(site: ZertoLocalSite | ZertoPeerSite | undefined): string | undefined {
  const id = site?.SiteIdentifier ?? site?.Link?.identifier;
  return typeof id === "string" ? id : undefined;
}

/** Names of the given VMs that the ZVM knows; VMs it does not know are left out. */
export async function zertoVmNames(client: Lookups, vmIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const record = (rows: Array<Pick<ZertoSiteObject, "VmIdentifier" | "VmName">> | undefined) => {
    for (const row of rows ?? []) if (typeof row.VmIdentifier === "string" && typeof row.VmName === "string") names.set(row.VmIdentifier, row.VmName);
  };
  if (vmIds.length === 0) return names;
  record(await client.listProtectedVms());
  // VMs not protected yet (being added) are listed by the protected site, the ZVM's own
  if (vmIds.some((id) => !names.has(id))) {
    const local = siteIdOf(await client.localSite());
    if (local) record(await client.listSiteObjects(local, "vms"));
  }
  return new Map(vmIds.filter((id) => names.has(id)).map((id) => [id, names.get(id)!]));
}

/** The ZVM's own site and its paired sites, by identifier. */
export async function zertoSiteNames(client: Lookups): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const local = await client.localSite();
  if (siteIdOf(local) && typeof local.SiteName === "string") names.set(siteIdOf(local)!, local.SiteName);
  for (const peer of await client.listPeerSites()) {
    if (siteIdOf(peer) && typeof peer.PeerSiteName === "string") names.set(siteIdOf(peer)!, peer.PeerSiteName);
  }
  return names;
}

/** What a VPG places at its recovery site: failover depends on these, so reports name them. */
const PLACEMENT_KINDS = ["hosts", "hostclusters", "datastores", "datastoreclusters", "folders", "networks", "resourcepools"];

/** Name fields of GET /v1/virtualizationsites/{id}/{kind} rows: the first *Identifier and the first *Name. */
function recordNames(rows: object[] | undefined, names: Map<string, string>): void {
  for (const row of rows ?? []) {
    const id = Object.entries(row).find((e): e is [string, string] => e[0].endsWith("Identifier") && typeof e[1] === "string")?.[1];
    const name = Object.entries(row).find((e): e is [string, string] => e[0].endsWith("Name") && typeof e[1] === "string")?.[1];
    if (id && name && !names.has(id)) names.set(id, name);
  }
}

/** Names of the networks, datastores, hosts, folders … of the given (recovery) sites; a list the ZVM refuses is skipped. */
export async function zertoPlacementNames(client: Pick<ZertoClient, "listSiteObjects">, siteIds: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  // every list at once (the client bounds what is in flight); recorded in a fixed order, so the first name of an id wins as before
  const lists = [...new Set(siteIds)].flatMap((siteId) => PLACEMENT_KINDS.map((kind) => client.listSiteObjects(siteId, kind).catch(() => undefined)));
  for (const rows of await Promise.all(lists)) recordNames(rows, names);
  return names;
}
