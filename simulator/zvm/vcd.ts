import { HttpError, Router, SimRequest } from "../common";
import type { InventorySite } from "./inventory";
import { Obj, type Definition } from "./settingsModel";
import type { ZvmContext } from "./state";

/**
 * A recovery site that is a VMware Cloud Director site, and the VCD blocks of the VPG settings
 * (docs/api-notes/zerto.md#vpg-settings-cloud-director-blocks). The settings model already stores
 * each VCD block as sent (settingsModel.ts binds them "raw"); this file adds the site's inventory,
 * its look-ups and the commit's checks of VCD references.
 *
 * Assumptions the documents leave open:
 * - A site is a Cloud Director site when its inventory entry has a `Vcd` block; PeerSiteApi.siteType
 *   is a bare string in the OpenAPI document, so such a peer reports "VCD" (vs "VCenter").
 * - Identifiers of org vDCs, org vDC networks and storage policies are opaque strings (every one is
 *   `type: string` in the OpenAPI document); the inventory uses Cloud Director URNs.
 * - Which references the commit checks: Recovery.VCD.OrgVdcIdentifier, the recovery-side
 *   networks of Networks.*.VCD and Vms[].Nics[].*.VCD, and Vms[].Recovery.VCD
 *   (storage policy) must name objects of that org vDC. ProtectedOrgVdcNetworkIdentifier names a
 *   network at the protected site, which may be vSphere: it is not checked.
 * - As real ZVMs do (ZertoApiWrapper#129, #115): a VM without a storage policy is refused, and so is a
 *   journal datastore; CopyNATRules and IpMode are strings with no documented values,
 *   stored as sent.
 * - A VCD block sent for a vSphere recovery site is refused (the OpenAPI pairs each block with its
 *   platform; the VPGs API refuses the converse, a datastore for a vCD site).
 */

export interface VcdOrgVdc {
  OrgVdcIdentifier: string;
  OrgVdcName: string;
  Networks: Array<{ NetworkIdentifier: string; VirtualizationNetworkName: string }>;
  StoragePolicies: Array<{ StoragePolicyIdentifier: string; StoragePolicyName: string; IsEnabled: boolean }>;
}

export interface VcdInventory {
  OrgVdcs: VcdOrgVdc[];
  /** Unprotected vApps (GET …/vcdvapps). */
  Vapps?: Array<{ VcdVappIdentifier: string; VcdName: string }>;
}

/** The Cloud Director inventory of a site; undefined for a vSphere site. */
function vcdOf(site: InventorySite | undefined): VcdInventory | undefined {
  return (site as (InventorySite & { Vcd?: VcdInventory }) | undefined)?.Vcd;
}

/** PeerSiteApi/LocalSiteApi SiteType of a site. */
export function siteTypeOf(site: InventorySite): string {
  return vcdOf(site) ? "VCD" : "VCenter";
}

/** A value of a block stored as sent, whatever the casing the client used (binding is case-insensitive). */
function field(block: unknown, name: string): any {
  if (!block || typeof block !== "object") return undefined;
  const key = Object.keys(block).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (block as Obj)[key];
}

function list(value: unknown): Obj[] {
  return Array.isArray(value) ? value : [];
}

/** Look-ups of Cloud Director objects (/v1/virtualizationsites/{siteIdentifier}/orgvdcs…, /v1/vcd/validOrgVdcs: docs/api-notes/zerto.md#vpg-settings-cloud-director-blocks). */
export function registerVcdRoutes(api: Router, { state, protect }: ZvmContext): void {
  const { inventory } = state;
  const get = (path: string, body: (req: SimRequest) => unknown) => api.on("GET", path, protect((req) => ({ status: 200, body: body(req) })));
  const siteOf = (req: SimRequest): InventorySite => {
    const site = inventory.site(req.params.siteId);
    if (!site) throw new HttpError(404, `Site with identifier ${req.params.siteId} was not found.`);
    return site;
  };
  const orgVdcOf = (req: SimRequest): VcdOrgVdc => {
    const found = vcdOf(siteOf(req))?.OrgVdcs.find((o) => o.OrgVdcIdentifier === req.params.orgVdcId);
    if (!found) throw new HttpError(404, `Org vDC with identifier ${req.params.orgVdcId} was not found.`);
    return found;
  };
  // OrgVdcNativeApi: orgVdcName, identifier
  get("/v1/virtualizationsites/:siteId/orgvdcs", (req) => (vcdOf(siteOf(req))?.OrgVdcs ?? []).map((o) => ({ OrgVdcName: o.OrgVdcName, Identifier: o.OrgVdcIdentifier })));
  // NetworkNativeApi: virtualizationNetworkName, networkIdentifier
  get("/v1/virtualizationsites/:siteId/orgvdcs/:orgVdcId/networks", (req) => orgVdcOf(req).Networks);
  // VirtualizationSites.StoragePolicyApi: storagePolicyIdentifier, storagePolicyName, isEnabled
  get("/v1/virtualizationsites/:siteId/orgvdcs/:orgVdcId/storagepolicies", (req) => orgVdcOf(req).StoragePolicies);
  get("/v1/virtualizationsites/:siteId/vcdvapps", (req) => vcdOf(siteOf(req))?.Vapps ?? []);
  // VCDVirtualDatacenter: id, name, of this ZVM's own site
  get("/v1/vcd/validOrgVdcs", () => (vcdOf(inventory.data.localSite)?.OrgVdcs ?? []).map((o) => ({ Id: o.OrgVdcIdentifier, Name: o.OrgVdcName })));
}

/** Whether a commit to `site` follows the Cloud Director rules rather than the vSphere ones. */
export function isVcdSite(site: InventorySite | undefined): boolean {
  return vcdOf(site) !== undefined;
}

/**
 * The reasons a commit of `def` fails on its VCD blocks: for a Cloud Director recovery site, each
 * reference checked against the org vDC; for a vSphere one, any VCD block at all.
 */
export function validateVcd(site: InventorySite, def: Definition): string[] {
  const { Recovery: recovery, Networks: networks, Journal: journal } = def.core;
  const vcd = vcdOf(site);
  const reasons: string[] = [];
  if (!vcd) {
    if (recovery.VCD) reasons.push(`Recovery org vDC settings were sent, but recovery site '${site.SiteName}' is not a vCD site.`);
    for (const direction of ["Failover", "FailoverTest"]) {
      if (networks[direction]?.VCD) reasons.push(`${direction} vCD network settings were sent, but recovery site '${site.SiteName}' is not a vCD site.`);
    }
    return reasons;
  }
  const orgVdcId = field(recovery.VCD, "OrgVdcIdentifier");
  if (!orgVdcId) return ["Recovery org vDC is missing."];
  const orgVdc = vcd.OrgVdcs.find((o) => o.OrgVdcIdentifier === orgVdcId);
  if (!orgVdc) return [`Recovery org vDC ${orgVdcId} was not found in site '${site.SiteName}'.`];

  const reported = new Set<string>();
  const checkNetwork = (label: string, id: unknown) => {
    if (!id || reported.has(String(id)) || orgVdc.Networks.some((n) => n.NetworkIdentifier === id)) return;
    reported.add(String(id));
    reasons.push(`${label} ${id} was not found in org vDC '${orgVdc.OrgVdcName}'.`);
  };
  if (!networks.Failover?.VCD) reasons.push("Failover org vDC network settings are missing.");
  for (const direction of ["Failover", "FailoverTest"]) {
    const block = networks[direction]?.VCD;
    checkNetwork(`${direction} default org vDC network`, field(block, "DefaultRecoveryOrgVdcNetworkIdentifier"));
    for (const mapping of list(field(block, "Mapping"))) {
      checkNetwork(`${direction} recovery org vDC network`, field(mapping, "RecoveryOrgVdcNetworkIdentifier"));
      checkNetwork(`${direction} reverse test org vDC network`, field(mapping, "ReverseTestOrgVdcNetworkIdentifier"));
    }
  }
  if (journal.DatastoreIdentifier) reasons.push(`Journal datastore ${journal.DatastoreIdentifier} is irrelevant for a vCD recovery site.`);

  for (const entry of def.vms) {
    const vm = entry.settings;
    const of = ` of VM ${entry.VmIdentifier}`;
    const policyId = field(vm.Recovery.VCD, "StoragePolicyIdentifier");
    const policy = orgVdc.StoragePolicies.find((p) => p.StoragePolicyIdentifier === policyId);
    if (!policyId) reasons.push(`Storage policy${of} is missing.`);
    else if (!policy) reasons.push(`Storage policy ${policyId}${of} was not found in org vDC '${orgVdc.OrgVdcName}'.`);
    else if (!policy.IsEnabled) reasons.push(`Storage policy '${policy.StoragePolicyName}'${of} is disabled.`);
    for (const nic of list(vm.Nics)) {
      for (const direction of ["Failover", "FailoverTest"]) {
        checkNetwork(`${direction} org vDC network of ${nic.NicIdentifier}${of}`, field(nic[direction]?.VCD, "RecoveryOrgVdcNetworkIdentifier"));
      }
    }
  }
  return reasons;
}
