/**
 * Look-ups by name on a ZVM, read-only and through documented GET endpoints only: /v1/localsite,
 * /v1/peersites, /v1/virtualizationsites/{siteId}/{vms,hosts,hostclusters,datastores,
 * datastoreclusters,networks,folders,resourcepools}, …/{siteId}/orgvdcs and an org vDC's networks and
 * storagepolicies (Cloud Director sites), /v1/vms (protected VMs), /v1/serviceprofiles and /v1/vpgs. Plain functions of a client: the SDK's getX functions and the CLI share them.
 */
import { LookupError, Named, pickByName } from "../lookup";
import type { ZertoClient } from "./client";
import type { ZertoSiteObject } from "./models";
import { siteIdOf } from "./names";

/** The client calls look-ups make: read-only listings. */
export const ZERTO_LOOKUP_CALLS = ["localSite", "listPeerSites", "listSiteObjects", "listProtectedVms", "listServiceProfiles", "listVpgs"] as const;

export type ZertoLookupClient = Pick<ZertoClient, (typeof ZERTO_LOOKUP_CALLS)[number]>;

export interface ZertoSiteResult {
  id: string;
  name: string;
  /** The ZVM's own site (true) or a paired site. */
  isLocal: boolean;
  location?: string;
  version?: string;
}

export interface ZertoVmResult {
  id: string;
  name: string;
  /** The site whose vCenter runs the VM. */
  siteId: string;
  /** Names of the VPGs that protect the VM (empty when it is not protected). */
  vpgNames: string[];
}

/** A vCenter object of a site (host, host cluster, datastore, datastore cluster, network, folder, resource pool). */
export interface ZertoSiteObjectResult {
  id: string;
  name: string;
  siteId: string;
}

/** A site's org vDCs (OrgVdcNativeApi: Identifier, OrgVdcName). */
async function orgVdcsOf(client: ZertoLookupClient, siteId: string): Promise<Named[]> {
  return (await siteObjects(client, siteId, "orgvdcs")).map((row) => ({ id: String(row.Identifier ?? ""), name: String(row.OrgVdcName ?? "") }));
}

/** An org vDC of a Cloud Director site (OrgVdcNativeApi has its name and identifier only). */
export interface ZertoOrgVdcResult {
  id: string;
  name: string;
  siteId: string;
}

/** A network of an org vDC. */
export interface ZertoOrgVdcNetworkResult {
  id: string;
  name: string;
  siteId: string;
  orgVdcId: string;
}

/** A storage policy of an org vDC; a VPG's VM cannot recover onto a disabled one. */
export interface ZertoOrgVdcStoragePolicyResult {
  id: string;
  name: string;
  siteId: string;
  orgVdcId: string;
  isEnabled: boolean;
}

export interface ZertoServiceProfileResult {
  id: string;
  name: string;
  description?: string;
}

export interface ZertoVpgResult {
  id: string;
  name: string;
  protectedSiteId?: string;
  recoverySiteId?: string;
  /** VpgApi Status as the ZVM sends it (a number). */
  status?: number;
}

/** The vCenter object kinds of /v1/virtualizationsites/{siteId}/…, with their id and name fields (docs/api-notes/zerto.md#look-ups). */
export const SITE_OBJECT_KINDS = {
  host: { path: "hosts", label: "host", id: "HostIdentifier", name: "VirtualizationHostName" },
  hostCluster: { path: "hostclusters", label: "host cluster", id: "ClusterIdentifier", name: "VirtualizationClusterName" },
  datastore: { path: "datastores", label: "datastore", id: "DatastoreIdentifier", name: "DatastoreName" },
  datastoreCluster: { path: "datastoreclusters", label: "datastore cluster", id: "DatastoreClusterIdentifier", name: "DatastoreClusterName" },
  network: { path: "networks", label: "network", id: "NetworkIdentifier", name: "VirtualizationNetworkName" },
  folder: { path: "folders", label: "folder", id: "FolderIdentifier", name: "FolderName" },
  resourcePool: { path: "resourcepools", label: "resource pool", id: "ResourcePoolIdentifier", name: "ResourcepoolName" },
} as const;

export type ZertoSiteObjectKind = keyof typeof SITE_OBJECT_KINDS;

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The ZVM's own site and its paired sites. */
export async function listZertoSites(client: ZertoLookupClient): Promise<ZertoSiteResult[]> {
  const sites: ZertoSiteResult[] = [];
  const local = await client.localSite();
  const localId = siteIdOf(local);
  if (localId) sites.push({ id: localId, name: String(local.SiteName ?? ""), isLocal: true, location: text(local.Location), version: text(local.Version) });
  for (const peer of await client.listPeerSites()) {
    const id = siteIdOf(peer);
    if (id) sites.push({ id, name: String(peer.PeerSiteName ?? ""), isLocal: false, location: text(peer.Location), version: text(peer.Version) });
  }
  return sites;
}

/** The ZVM's own site or a paired site, by name. */
export async function findZertoSite(client: ZertoLookupClient, args: { name: string }): Promise<ZertoSiteResult> {
  return pickByName(args.name, await listZertoSites(client), { what: "Zerto site", where: "among the ZVM's own and paired sites" });
}

/** A site's name for messages: its name and id when the ZVM knows it, else the id. */
async function describeSite(client: ZertoLookupClient, siteId: string): Promise<string> {
  const site = (await listZertoSites(client)).find((s) => s.id === siteId);
  return site ? `at site '${site.name}' (${siteId})` : `at site ${siteId}`;
}

/** The one candidate named `name`; where it was looked for is described (more requests) only for an error. */
async function pickDescribed<T extends Named>(name: string, candidates: T[], what: string, where: () => Promise<string>): Promise<T> {
  const matches = candidates.filter((c) => c.name === name);
  return matches.length === 1 ? matches[0] : pickByName(name, candidates, { what, where: await where() });
}

/** The one candidate of a site named `name`, the site described by name for an error. */
function pickAtSite<T extends Named>(client: ZertoLookupClient, siteId: string, name: string, candidates: T[], what: string): Promise<T> {
  return pickDescribed(name, candidates, what, () => describeSite(client, siteId));
}

/** A site's objects of one kind; an error naming the known sites when the ZVM knows no such site. */
async function siteObjects(client: ZertoLookupClient, siteId: string, path: string): Promise<ZertoSiteObject[]> {
  const rows = await client.listSiteObjects(siteId, path);
  if (rows) return rows;
  const known = (await listZertoSites(client)).map((s) => `'${s.name}' (${s.id})`).join(", ");
  throw new LookupError(`Zerto site ${siteId} is not known to the ZVM (sites: ${known || "none"}); find its id with getSite({ name })`);
}

/** A vCenter object of a site, by name: a host, host cluster, datastore, datastore cluster, network, folder or resource pool. */
export async function findZertoSiteObject(client: ZertoLookupClient, kind: ZertoSiteObjectKind, args: { name: string; siteId: string }): Promise<ZertoSiteObjectResult> {
  const spec = SITE_OBJECT_KINDS[kind];
  const rows = await siteObjects(client, args.siteId, spec.path);
  const candidates = rows.filter((row) => typeof row[spec.id] === "string")
    .map((row) => ({ id: row[spec.id] as string, name: String(row[spec.name] ?? ""), siteId: args.siteId }));
  return pickAtSite(client, args.siteId, args.name, candidates, `Zerto ${spec.label}`);
}

/** An org vDC of a Cloud Director site, by name (a vSphere site has none). */
export async function findZertoOrgVdc(client: ZertoLookupClient, args: { name: string; siteId: string }): Promise<ZertoOrgVdcResult> {
  const candidates = (await orgVdcsOf(client, args.siteId)).filter((o) => o.id).map((o) => ({ ...o, siteId: args.siteId }));
  return pickAtSite(client, args.siteId, args.name, candidates, "Zerto org vDC");
}

/**
 * An org vDC's networks or storage policies. The ZVM answers 404 for an unknown site and for an
 * unknown org vDC alike, so the site's org vDCs are listed to say which of the two it was.
 */
async function orgVdcObjects(client: ZertoLookupClient, siteId: string, orgVdcId: string, path: string): Promise<ZertoSiteObject[]> {
  const rows = await client.listSiteObjects(siteId, `orgvdcs/${encodeURIComponent(orgVdcId)}/${path}`);
  if (rows) return rows;
  const known = (await orgVdcsOf(client, siteId)).map((o) => `'${o.name}' (${o.id})`).join(", ");
  throw new LookupError(`Zerto org vDC ${orgVdcId} is not known ${await describeSite(client, siteId)} (org vDCs: ${known || "none"}); `
    + "find its id with getOrgVdc({ name, siteId })");
}

/** The one candidate of an org vDC named `name`, the org vDC and its site described by name for an error. */
function pickInOrgVdc<T extends Named>(client: ZertoLookupClient, args: { name: string; siteId: string; orgVdcId: string }, candidates: T[], what: string): Promise<T> {
  return pickDescribed(args.name, candidates, what, async () => {
    const orgVdc = (await orgVdcsOf(client, args.siteId)).find((o) => o.id === args.orgVdcId);
    return `in org vDC ${orgVdc ? `'${orgVdc.name}' (${args.orgVdcId})` : args.orgVdcId} ${await describeSite(client, args.siteId)}`;
  });
}

/** A network of an org vDC, by name. */
export async function findZertoOrgVdcNetwork(client: ZertoLookupClient, args: { name: string; siteId: string; orgVdcId: string }): Promise<ZertoOrgVdcNetworkResult> {
  const { siteId, orgVdcId } = args;
  const candidates = (await orgVdcObjects(client, siteId, orgVdcId, "networks")).filter((row) => typeof row.NetworkIdentifier === "string")
    .map((row) => ({ id: row.NetworkIdentifier as string, name: String(row.VirtualizationNetworkName ?? ""), siteId, orgVdcId }));
  return pickInOrgVdc(client, args, candidates, "Zerto org vDC network");
}

/** A storage policy of an org vDC, by name, with whether it is enabled (absent counts as enabled, as in the VPG preflight). */
export async function findZertoOrgVdcStoragePolicy(client: ZertoLookupClient, args: { name: string; siteId: string; orgVdcId: string }): Promise<ZertoOrgVdcStoragePolicyResult> {
  const { siteId, orgVdcId } = args;
  const candidates = (await orgVdcObjects(client, siteId, orgVdcId, "storagepolicies")).filter((row) => typeof row.StoragePolicyIdentifier === "string")
    .map((row) => ({ id: row.StoragePolicyIdentifier as string, name: String(row.StoragePolicyName ?? ""), siteId, orgVdcId, isEnabled: row.IsEnabled !== false }));
  return pickInOrgVdc(client, args, candidates, "Zerto storage policy");
}

/**
 * A VM by name: the protected site's VMs that no VPG protects yet (/v1/virtualizationsites/{site}/vms
 * lists only those) together with the protected ones (/v1/vms, one row per VM and VPG).
 * Without siteId the ZVM's own site is searched.
 */
export async function findZertoVm(client: ZertoLookupClient, args: { name: string; siteId?: string }): Promise<ZertoVmResult> {
  const siteId = args.siteId ?? siteIdOf(await client.localSite());
  if (!siteId) throw new LookupError("the ZVM did not report its own site's identifier; pass siteId");
  const byId = new Map<string, ZertoVmResult>();
  for (const row of await siteObjects(client, siteId, "vms")) {
    if (typeof row.VmIdentifier === "string") byId.set(row.VmIdentifier, { id: row.VmIdentifier, name: String(row.VmName ?? ""), siteId, vpgNames: [] });
  }
  for (const row of await client.listProtectedVms()) {
    if (typeof row.VmIdentifier !== "string" || (row.ProtectedSite?.identifier && row.ProtectedSite.identifier !== siteId)) continue;
    const vm = byId.get(row.VmIdentifier) ?? { id: row.VmIdentifier, name: String(row.VmName ?? ""), siteId, vpgNames: [] };
    if (typeof row.VpgName === "string" && !vm.vpgNames.includes(row.VpgName)) vm.vpgNames.push(row.VpgName);
    byId.set(row.VmIdentifier, vm);
  }
  return pickAtSite(client, siteId, args.name, [...byId.values()], "Zerto VM");
}

export async function findZertoServiceProfile(client: ZertoLookupClient, args: { name: string }): Promise<ZertoServiceProfileResult> {
  const profiles = (await client.listServiceProfiles()).map((p) => ({
    id: String(p.ServiceProfileIdentifier ?? p.Link?.identifier ?? ""),
    name: String(p.ServiceProfileName ?? ""),
    description: text(p.Description),
  })).filter((p) => p.id);
  return pickByName(args.name, profiles, { what: "Zerto service profile" });
}

export async function findZertoVpg(client: ZertoLookupClient, args: { name: string }): Promise<ZertoVpgResult> {
  // the whole list rather than the API's name filter, so that a typo can be answered with close names
  const vpgs = (await client.listVpgs()).map((v) => ({
    id: v.VpgIdentifier,
    name: v.VpgName,
    protectedSiteId: v.ProtectedSite?.identifier,
    recoverySiteId: v.RecoverySite?.identifier,
    status: v.Status,
  }));
  return pickByName(args.name, vpgs, { what: "Zerto VPG" });
}
