/**
 * Look-ups by name on VCDA, read-only. GET /policies is in the 4.1 API; /sites, /inventory/* and
 * /sla-profiles are not (docs/api-notes/vcda.md#sites-inventory-and-sla-profiles; simulator/vcda/lookups.ts
 * for the shapes assumed), so a VCDA that does not serve one answers with an error saying to use the id.
 * Plain functions of a client: the SDK's getX functions and the CLI share them.
 */
import { LookupError, pickByName } from "../lookup";
import type { VcdaClient } from "./client";
import type { RetentionPolicy, VcdaInventoryVm } from "./models";

/** The client calls look-ups make: read-only listings. */
export const VCDA_LOOKUP_CALLS = ["listSites", "listOnPremisesSites", "listOrgs", "listVdcs", "listStorageProfiles", "listVms", "listSlaProfiles", "listPolicies"] as const;

export type VcdaLookupClient = Pick<VcdaClient, "endpoint" | (typeof VCDA_LOOKUP_CALLS)[number]>;

export interface VcdaSiteResult {
  /** Sites are named by their short name everywhere in the API, so the id is the name. */
  id: string;
  name: string;
  isLocal: boolean;
  description?: string;
}

export interface VcdaOrgResult {
  /** Organizations are named by their short name in the API, so the id is the name. */
  id: string;
  name: string;
  site?: string;
}

export interface VcdaVdcResult {
  id: string;
  name: string;
  org: string;
  site?: string;
}

/** A VM as the inventory lists it (`id`: the Cloud Director VM id, or the vCenter moref of an on-premises VM; `vcUuid`: its vCenter). */
export interface VcdaVmResult extends VcdaInventoryVm {
  site?: string;
  /** True for a vCenter VM of an on-premises site (replicated with source type vcVm and vcUuid). */
  onPremises: boolean;
}

/** A vApp as its VMs name it in the inventory. */
export interface VcdaVappResult {
  id: string;
  name: string;
  org?: string;
  vdcId?: string;
  site?: string;
  vmIds: string[];
  vmNames: string[];
}

export interface VcdaStorageProfileResult {
  id: string;
  name: string;
  vdcId: string;
}

export interface VcdaSlaProfileResult {
  id: string;
  name: string;
  rpo?: number;
  dataConnectionType?: string;
  quiesced?: boolean;
  retentionPolicy?: RetentionPolicy;
}

export interface VcdaPolicyResult {
  id: string;
  name: string;
  minRpo: number;
  maxInstances: number;
  /** How many organizations use the policy (-1 for the default policy). */
  orgs?: number;
}

/** A list the server served, or an error naming the endpoint it does not serve. */
function served<T>(client: VcdaLookupClient, list: T[] | undefined, request: string): T[] {
  if (list) return list;
  throw new LookupError(`the VCDA at ${client.endpoint} does not serve ${request}, so names cannot be looked up there: use the id`);
}

const atSite = (site: string | undefined) => `at site '${site ?? "(local)"}'`;

export async function listVcdaSites(client: VcdaLookupClient): Promise<VcdaSiteResult[]> {
  const cloud = served(client, await client.listSites(), "GET /sites")
    .map((s) => ({ id: s.site, name: s.site, isLocal: s.isLocal === true, description: s.description }));
  // on-premises sites paired to the cloud are listed apart (GET /vc-sites); a server without that list has none to add
  const onPremises = ((await client.listOnPremisesSites()) ?? [])
    .filter((s) => !cloud.some((c) => c.id === s.site))
    .map((s) => ({ id: s.site, name: s.site, isLocal: false, description: s.description }));
  return [...cloud, ...onPremises];
}

export async function findVcdaSite(client: VcdaLookupClient, args: { name: string }): Promise<VcdaSiteResult> {
  return pickByName(args.name, await listVcdaSites(client), { what: "VCDA site" });
}

export async function findVcdaOrg(client: VcdaLookupClient, args: { name: string; site?: string }): Promise<VcdaOrgResult> {
  const orgs = served(client, await client.listOrgs(args.site), "GET /inventory/orgs").map((o) => ({ id: o.name, name: o.name, site: args.site }));
  return pickByName(args.name, orgs, { what: "VCDA organization", where: atSite(args.site) });
}

export async function findVcdaVdc(client: VcdaLookupClient, args: { org: string; name: string; site?: string }): Promise<VcdaVdcResult> {
  const vdcs = served(client, await client.listVdcs(args.site), "GET /inventory/vdcs")
    .filter((v) => v.org === args.org)
    .map((v) => ({ id: v.id, name: v.name, org: args.org, site: args.site }));
  return pickByName(args.name, vdcs, { what: "VCDA org vDC", where: `of organization '${args.org}' ${atSite(args.site)}` });
}

/** A VM of a site by name: a Cloud Director VM (optionally of one vDC, by id) or, at an on-premises site, a vCenter VM. */
export async function findVcdaVm(client: VcdaLookupClient, args: { name: string; vdc?: string; site?: string }): Promise<VcdaVmResult> {
  const vms = served(client, await client.listVms(args.site), "GET /inventory/vms")
    .filter((vm) => !args.vdc || vm.vdcId === args.vdc)
    .map((vm) => ({ ...vm, site: args.site, onPremises: vm.vcUuid !== undefined }));
  return pickByName(args.name, vms, {
    what: "VCDA VM",
    where: `${args.vdc ? `in vDC ${args.vdc} ` : ""}${atSite(args.site)}`,
    narrowBy: args.vdc ? undefined : "pass vdc (the vDC's id) to narrow it down",
  });
}

/**
 * The inventory documents no vApp list of its own here: a vApp is the `vappId`/`vappName` its VMs carry
 * (docs/api-notes/vcda.md#vapp-replications), so its VMs are those naming it.
 */
export async function findVcdaVapp(client: VcdaLookupClient, args: { name: string; vdc?: string; site?: string }): Promise<VcdaVappResult> {
  const vapps = new Map<string, VcdaVappResult>();
  for (const vm of served(client, await client.listVms(args.site), "GET /inventory/vms")) {
    if (!vm.vappId || !vm.vappName || (args.vdc && vm.vdcId !== args.vdc)) continue;
    const vapp = vapps.get(vm.vappId) ?? { id: vm.vappId, name: vm.vappName, org: vm.org, vdcId: vm.vdcId, site: args.site, vmIds: [], vmNames: [] };
    vapp.vmIds.push(vm.id);
    vapp.vmNames.push(vm.name);
    vapps.set(vm.vappId, vapp);
  }
  return pickByName(args.name, [...vapps.values()], {
    what: "VCDA vApp",
    where: `${args.vdc ? `in vDC ${args.vdc} ` : ""}${atSite(args.site)}`,
    narrowBy: args.vdc ? undefined : "pass vdc (the vDC's id) to narrow it down",
  });
}

export async function findVcdaStorageProfile(client: VcdaLookupClient, args: { vdc: string; name: string; site?: string }): Promise<VcdaStorageProfileResult> {
  const profiles = served(client, await client.listStorageProfiles(args.vdc, args.site), `GET /inventory/vdcs/${args.vdc}/storage-profiles`)
    .map((p) => ({ id: p.id, name: p.name, vdcId: args.vdc }));
  return pickByName(args.name, profiles, { what: "VCDA storage profile", where: `of vDC ${args.vdc} ${atSite(args.site)}` });
}

export async function findVcdaSlaProfile(client: VcdaLookupClient, args: { name: string }): Promise<VcdaSlaProfileResult> {
  const profiles = served(client, await client.listSlaProfiles(), "GET /sla-profiles").map(({ displayName, ...settings }) => ({ ...settings, name: displayName }));
  return pickByName(args.name, profiles, { what: "VCDA SLA profile" });
}

export async function findVcdaPolicy(client: VcdaLookupClient, args: { name: string }): Promise<VcdaPolicyResult> {
  const policies = (await client.listPolicies()).map((p) => ({ id: p.id, name: p.displayName, minRpo: p.minRpo, maxInstances: p.maxInstances, orgs: p.orgs }));
  return pickByName(args.name, policies, { what: "VCDA replication policy" });
}
