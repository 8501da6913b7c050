import { HttpError, Router, SimRequest } from "../common";
import { queryParam } from "./binding";
import type { InventorySite } from "./inventory";
import type { ZvmContext } from "./state";
import { siteTypeOf } from "./vcd";

/** Read-only look-ups of sites, vCenter objects, service profiles and ZORGs (docs/api-notes/zerto.md#look-ups). */
export function registerLookupRoutes(api: Router, { state, protect }: ZvmContext): void {
  const { inventory } = state;
  const { localSite } = inventory.data;
  const get = (path: string, body: (req: SimRequest) => unknown) => api.on("GET", path, protect((req) => ({ status: 200, body: body(req) })));
  const siteOf = (req: SimRequest): InventorySite => {
    const site = inventory.site(req.params.siteId);
    if (!site) throw new HttpError(404, `Site with identifier ${req.params.siteId} was not found.`);
    return site;
  };
  const peer = (site: InventorySite) => ({
    HostName: site.HostName,
    IncomingThroughputInMb: 0,
    Link: state.link(`peersites/${site.SiteIdentifier}`, site.SiteIdentifier, "PeerSiteApi"),
    Location: site.Location,
    OutgoingBandWidth: 0,
    PairingStatus: site.PairingStatus ?? 0,
    PeerSiteName: site.SiteName,
    Port: site.Port,
    ProvisionedStorage: 0,
    RegionName: null,
    SiteIdentifier: site.SiteIdentifier,
    SiteType: siteTypeOf(site),
    UsedStorage: 0,
    Version: site.Version,
  });
  const datastore = (site: InventorySite, d: InventorySite["Datastores"][number]) => {
    const cluster = site.DatastoreClusters.find((c) => c.DatastoreClusterIdentifier === d.DatastoreClusterIdentifier);
    return { DatastoreIdentifier: d.DatastoreIdentifier, DatastoreName: d.DatastoreName, OwningDatastoreCluster: cluster ?? null };
  };
  const host = (site: InventorySite, h: InventorySite["Hosts"][number]) => ({
    ...h,
    AssociatedDatastores: site.Datastores.map((d) => d.DatastoreIdentifier),
    AssociatedNetworks: site.Networks.map((n) => n.NetworkIdentifier),
  });

  get("/v1/localsite", () => ({
    BandwidthThrottlingInMBs: -1,
    ContactEmail: localSite.ContactEmail,
    ContactName: localSite.ContactName,
    ContactPhone: localSite.ContactPhone,
    DisplayVersion: localSite.Version,
    IpAddress: localSite.IpAddress,
    IsLoginBannerEnabled: false,
    IsReplicationToSelfEnabled: true,
    Link: state.link("localsite", localSite.SiteIdentifier, "LocalSiteApi"),
    Location: localSite.Location,
    LoginBanner: null,
    PlatformInformation: { Azure: null, VCenter: { Ip: localSite.IpAddress } },
    SiteIdentifier: localSite.SiteIdentifier,
    SiteName: localSite.SiteName,
    SiteType: "VCenter",
    SiteTypeVersion: "8.0",
    UtcOffsetInMinutes: localSite.UtcOffsetInMinutes,
    Version: localSite.Version,
    ZvmApiVersion: "1.0",
  }));
  get("/v1/peersites", (req) => {
    const q = (name: string) => queryParam(req.query, name)?.toLowerCase();
    return inventory.data.peerSites.map(peer).filter((p) =>
      (!q("peerName") || p.PeerSiteName.toLowerCase() === q("peerName")) &&
      (!q("pairingStatus") || String(p.PairingStatus) === q("pairingStatus")) &&
      (!q("location") || p.Location.toLowerCase() === q("location")) &&
      (!q("hostName") || p.HostName.toLowerCase() === q("hostName")) &&
      (!q("port") || String(p.Port) === q("port")));
  });
  get("/v1/peersites/:siteId", (req) => {
    const site = inventory.data.peerSites.find((p) => p === inventory.site(req.params.siteId));
    if (!site) throw new HttpError(404, `Peer site with identifier ${req.params.siteId} was not found.`);
    return peer(site);
  });

  const virtualizationSite = (s: InventorySite) => ({ SiteIdentifier: s.SiteIdentifier, VirtualizationSiteName: s.VirtualizationSiteName });
  get("/v1/virtualizationsites", () => inventory.sites.map(virtualizationSite));
  get("/v1/virtualizationsites/:siteId", (req) => virtualizationSite(siteOf(req)));
  get("/v1/virtualizationsites/:siteId/vms", (req) => {
    const site = siteOf(req);
    // Only unprotected VMs are offered for protection.
    const protectedIds = new Set(Object.values(state.vpgs).flatMap((v) => v.def.vms.map((m) => m.VmIdentifier)));
    return site.Vms.filter((vm) => !protectedIds.has(vm.VmIdentifier)).map((vm) => {
      const owningHost = site.Hosts.find((h) => h.HostIdentifier === vm.OwningHostIdentifier);
      const owningDs = site.Datastores.find((d) => d.DatastoreIdentifier === vm.OwningDatastoreIdentifier);
      const provisioned = vm.Volumes.reduce((sum, v) => sum + v.SizeInMB, 0);
      return {
        VmIdentifier: vm.VmIdentifier,
        VmName: vm.VmName,
        VmInstanceIdentifier: null,
        OwningHostIdentifier: vm.OwningHostIdentifier,
        OwningHostName: owningHost?.VirtualizationHostName ?? null,
        OwningDatastoreIdentifier: vm.OwningDatastoreIdentifier,
        OwningDatastoreName: owningDs?.DatastoreName ?? null,
        GuestOs: vm.GuestOs,
        VmNetworkInformation: {
          NetworkAdapters: vm.Nics.map((n) => ({ DisplayName: n.NicIdentifier, NetworkIdentifier: n.NetworkIdentifier, IpAddresses: n.IpAddresses })),
        },
        VmPerfMetricInfo: {
          ProvisionedStorageInMB: provisioned,
          UsedStorageInMB: Math.round(provisioned * 0.6),
          CpuCoresNum: vm.CpuCoresNum,
          MemorySizeInMB: vm.MemorySizeInMB,
        },
        Nics: vm.Nics.map((n) => ({ NicIdentifier: n.NicIdentifier })),
        Volumes: vm.Volumes.map((v) => ({ VmVolumeIdentifier: v.VmVolumeIdentifier, PublicCloudVolumeIdentifier: null })),
        IsAgentInstalled: false,
        PlatformInformation: null,
      };
    });
  });
  get("/v1/virtualizationsites/:siteId/networks", (req) => siteOf(req).Networks);
  get("/v1/virtualizationsites/:siteId/datastores", (req) => {
    const site = siteOf(req);
    return site.Datastores.map((d) => datastore(site, d));
  });
  get("/v1/virtualizationsites/:siteId/datastoreclusters", (req) => siteOf(req).DatastoreClusters);
  get("/v1/virtualizationsites/:siteId/hosts", (req) => {
    const site = siteOf(req);
    return site.Hosts.map((h) => host(site, h));
  });
  get("/v1/virtualizationsites/:siteId/hosts/:hostId", (req) => {
    const site = siteOf(req);
    const found = site.Hosts.find((h) => h.HostIdentifier === req.params.hostId);
    if (!found) throw new HttpError(404, `Host with identifier ${req.params.hostId} was not found.`);
    return host(site, found);
  });
  get("/v1/virtualizationsites/:siteId/hostclusters", (req) => {
    const site = siteOf(req);
    return site.HostClusters.map((c) => ({
      ClusterIdentifier: c.ClusterIdentifier,
      VirtualizationClusterName: c.VirtualizationClusterName,
      AssociatedHosts: site.Hosts.filter((h) => c.HostIdentifiers.includes(h.HostIdentifier)),
    }));
  });
  get("/v1/virtualizationsites/:siteId/resourcepools", (req) => siteOf(req).ResourcePools);
  get("/v1/virtualizationsites/:siteId/folders", (req) => siteOf(req).Folders);

  const profile = (p: (typeof inventory.data.serviceProfiles)[number]) => ({
    ...p,
    Link: state.link(`serviceprofiles/${p.ServiceProfileIdentifier}`, p.ServiceProfileIdentifier, "ServiceProfileApi"),
  });
  get("/v1/serviceprofiles", (req) => {
    const siteId = queryParam(req.query, "siteIdentifier") ?? queryParam(req.query, "site");
    // Profiles are offered to every known site.
    return siteId && !inventory.site(siteId) ? [] : inventory.data.serviceProfiles.map(profile);
  });
  get("/v1/serviceprofiles/:profileId", (req) => {
    const found = inventory.data.serviceProfiles.find((p) => p.ServiceProfileIdentifier === req.params.profileId);
    if (!found) throw new HttpError(404, `Service profile with identifier ${req.params.profileId} was not found.`);
    return profile(found);
  });
  const zorg = (z: (typeof inventory.data.zorgs)[number]) => ({ ...z, Link: state.link(`zorgs/${z.ZorgIdentifier}`, z.ZorgIdentifier, "ZorgApi") });
  get("/v1/zorgs", () => inventory.data.zorgs.map(zorg));
  get("/v1/zorgs/:zorgId", (req) => {
    const found = inventory.data.zorgs.find((z) => z.ZorgIdentifier === req.params.zorgId);
    if (!found) throw new HttpError(404, `ZORG with identifier ${req.params.zorgId} was not found.`);
    return zorg(found);
  });
}
