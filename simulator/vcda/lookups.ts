import type { Router } from "../common";
import { fail, paginate, targetSite } from "./api";
import { requireSiteAuthenticated, Session, SessionManager, sessionOrgs } from "./auth";
import type { VcdaStore } from "./state";

/**
 * Read-only sites and Cloud Director inventory. The 4.1 programming guide does not document these
 * endpoints (/sites, /inventory/* for orgs, vdcs, storage profiles, networks), so their shape follows
 * the public VMware.vCAV.Community PowerShell module (docs/api-notes/vcda.md#sites-inventory-and-sla-profiles),
 * and where it is silent the simulator assumes:
 * - GET /sites is a bare array of {site, description, isLocal} (Get-vCAVSites filters on `site`, `isLocal`)
 *   of the cloud sites only; the on-premises sites paired to the cloud are at GET /vc-sites, a bare array of
 *   {site, description, owner} (Get-vCAVCustomerSites filters on `site` and `owner`), each tenant seeing its
 *   organizations' sites.
 * - A remote cloud site's inventory is read only by a session extended to it (strictRemoteReads, on by
 *   default), as the guide requires for operations there (403 otherwise, as for replications).
 * - GET /inventory/orgs, /inventory/vdcs and /inventory/vms page like GET /vm-replications
 *   ({items,total,offset,limit}, `site` defaulting to the local site; Get-vCAVTenantOrg and Get-vCAVOrgVDC page
 *   by `offset`/`limit`, Get-vCAVOrgVDC filters by `name`); every organization exists at every cloud site.
 * - GET /inventory/vdcs/{vdcId}/storage-profiles is a bare array of {id, name} (Get-vCAVStorageProfile
 *   filters the answer itself); an unknown vDC is 404 VdcNotFound.
 * - Tenants see only their organizations' objects, as with replications (tenant sessions "can only
 *   manage and monitor the replications that the user owns": docs/api-notes/vcda.md#sessions-logging-in).
 * - GET /inventory/vms?site=<on-premises site> lists that site's vCenter VMs as {id (the moref), name, vcUuid,
 *   powerState}: the same list as for a cloud site, since POST /vm-replications names an on-premises VM by
 *   `source.site` + `vmId` (moref) + `vcUuid` (a "vcVm" source); seen by the paired organization only.
 * - The same VMs are read as vCAV.Community Get-vCAVWorkloads reads them (docs/api-notes/first-contact.md#sites-get-sites-and-get-vc-sites):
 *   GET /vc-sites/{site}/vcenters, a bare array of {vcId}, and GET /vc-sites/{site}/{vcId}/vms, paged {id, name, powerState}.
 *   With onPremInventory "vc-sites" only these answer: /inventory/vms?site=<on-premises site> is 404.
 * - GET /sla-profiles (exists, not in the 4.1 API) pages like the lists above; its items
 *   carry `id` and `displayName` as a replication's `slaProfile` does (VmReplication.slaProfile),
 *   plus the settings the profile applies; every session may read them.
 */
export function routes(router: Router, store: VcdaStore, sessions: SessionManager, strictRemoteReads = true, onPremInventory: "inventory" | "vc-sites" = "inventory"): void {
  const { authed } = sessions;
  const mayUse = (session: Session, org: string | undefined) => session.isAdmin || (org !== undefined && sessionOrgs(session).has(org));
  const cloudSite = (req: Parameters<typeof targetSite>[0], session: Session) => {
    const site = targetSite(req, store);
    if (store.site(site)?.type !== "vcloud") fail(404, "SiteNotFound", `Site '${site}' is not a cloud site.`, [site]);
    return strictRemoteReads ? requireSiteAuthenticated(site, store, session) : site;
  };
  const onPremisesSite = (name: string, session: Session) => {
    const site = store.site(name);
    if (site?.type !== "vcenter" || !mayUse(session, site.org)) fail(404, "SiteNotFound", `Site '${name}' is not an on-premises site.`, [name]);
    return site.name;
  };
  const vcVmsAt = (site: string) => store.inventory.vcVms.filter((v) => v.site === site);
  const vdcsAt = (site: string, session: Session) => store.inventory.vdcs.filter((v) => v.site === site && mayUse(session, v.org));

  router
    .on("GET", "/sites", authed(() => ({
      status: 200,
      body: store.inventory.sites
        .filter((s) => s.type === "vcloud")
        .map((s) => ({ site: s.name, description: s.description ?? "", isLocal: s.name === store.inventory.localSite })),
    })))
    .on("GET", "/vc-sites", authed((_req, session) => ({
      status: 200,
      body: store.inventory.sites
        .filter((s) => s.type === "vcenter" && mayUse(session, s.org))
        .map((s) => ({ site: s.name, description: s.description ?? "", owner: s.org ?? null })),
    })))
    .on("GET", "/inventory/orgs", authed((req, session) => {
      cloudSite(req, session);
      const orgs = store.inventory.orgs.filter((o) => mayUse(session, o.name)).map((o) => ({ name: o.name }));
      return { status: 200, body: paginate(orgs, req.query, { name: (o) => o.name }, "name") };
    }))
    .on("GET", "/inventory/vdcs", authed((req, session) => {
      const name = req.query.get("name");
      const vdcs = vdcsAt(cloudSite(req, session), session).filter((v) => !name || v.name === name).map((v) => ({ id: v.id, name: v.name, org: v.org }));
      return { status: 200, body: paginate(vdcs, req.query, { name: (v) => v.name }, "name") };
    }))
    .on("GET", "/inventory/vdcs/:vdcId/storage-profiles", authed((req, session) => {
      const vdc = vdcsAt(cloudSite(req, session), session).find((v) => v.id === req.params.vdcId);
      if (!vdc) fail(404, "VdcNotFound", `vDC '${req.params.vdcId}' was not found.`, [req.params.vdcId]);
      return { status: 200, body: vdc.storageProfiles.map((p) => ({ id: p.id, name: p.name })) };
    }))
    .on("GET", "/inventory/vms", authed((req, session) => {
      const onPremises = store.site(targetSite(req, store));
      if (onPremises?.type === "vcenter" && mayUse(session, onPremises.org)) {
        if (onPremInventory === "vc-sites") fail(404, "NotFound", "On-premises inventory is read at /vc-sites/{site}/{vcId}/vms.");
        const vcVms = vcVmsAt(onPremises.name)
          .map((v) => ({ id: v.moref, name: v.name, vcUuid: v.vcUuid, powerState: v.powerState }));
        return { status: 200, body: paginate(vcVms, req.query, { name: (v) => v.name }, "name") };
      }
      const site = cloudSite(req, session);
      const vms = store.inventory.vms.filter((v) => v.site === site && mayUse(session, v.org)).map((v) => ({
        id: v.id, name: v.name, org: v.org, vdcId: v.vdcId, vappId: v.vappId, vappName: v.vappName, powerState: v.powerState,
      }));
      return { status: 200, body: paginate(vms, req.query, { name: (v) => v.name }, "name") };
    }))
    .on("GET", "/vc-sites/:site/vcenters", authed((req, session) => {
      const vcIds = new Set(vcVmsAt(onPremisesSite(req.params.site, session)).map((v) => v.vcUuid));
      return { status: 200, body: [...vcIds].map((vcId) => ({ vcId })) };
    }))
    .on("GET", "/vc-sites/:site/:vcId/vms", authed((req, session) => {
      const vms = vcVmsAt(onPremisesSite(req.params.site, session)).filter((v) => v.vcUuid === req.params.vcId);
      if (vms.length === 0) fail(404, "VcenterNotFound", `vCenter '${req.params.vcId}' was not found.`, [req.params.vcId]);
      const listed = vms.map((v) => ({ id: v.moref, name: v.name, powerState: v.powerState }));
      return { status: 200, body: paginate(listed, req.query, { name: (v) => v.name }, "name") };
    }))
    .on("GET", "/sla-profiles", authed((req) => ({
      status: 200,
      body: paginate(store.inventory.slaProfiles, req.query, { displayName: (p) => p.displayName }, "displayName"),
    })));
}
