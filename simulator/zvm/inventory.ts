import * as fs from "node:fs";
import bundled from "./inventory.json";

/** The vCenter objects of one site, in wire casing so look-ups can return them nearly as stored. */
export interface InventoryVm {
  VmIdentifier: string;
  VmName: string;
  GuestOs: string;
  CpuCoresNum: number;
  MemorySizeInMB: number;
  OwningHostIdentifier: string;
  OwningDatastoreIdentifier: string;
  Volumes: Array<{ VmVolumeIdentifier: string; SizeInMB: number }>;
  Nics: Array<{ NicIdentifier: string; NetworkIdentifier: string; IpAddresses: string[] }>;
}

export interface InventorySite {
  SiteIdentifier: string;
  SiteName: string;
  Location: string;
  Version: string;
  IpAddress: string;
  HostName: string;
  Port: number;
  ContactEmail: string;
  ContactName: string;
  ContactPhone: string;
  UtcOffsetInMinutes: number;
  VCenterIdentifier: string;
  VirtualizationSiteName: string;
  /** Peer sites only: 0 Paired, 1 Pairing, 2 Unpaired. */
  PairingStatus?: number;
  Vms: InventoryVm[];
  Networks: Array<{ NetworkIdentifier: string; VirtualizationNetworkName: string }>;
  Datastores: Array<{ DatastoreIdentifier: string; DatastoreName: string; DatastoreClusterIdentifier: string | null }>;
  DatastoreClusters: Array<{ DatastoreClusterIdentifier: string; DatastoreClusterName: string }>;
  Hosts: Array<{ HostIdentifier: string; VirtualizationHostName: string; HostVersion: string; ConnectionStatus: string }>;
  HostClusters: Array<{ ClusterIdentifier: string; VirtualizationClusterName: string; HostIdentifiers: string[] }>;
  ResourcePools: Array<{ ResourcePoolIdentifier: string; ResourcepoolName: string }>;
  Folders: Array<{ FolderIdentifier: string; FolderName: string }>;
}

export interface ServiceProfile {
  ServiceProfileIdentifier: string;
  ServiceProfileName: string;
  Description: string;
  Rpo: string;
  History: string;
  TestInterval: string;
  MaxJournalSizeInPercent: number;
  JournalWarningThresholdInPercent: number;
}

export interface Inventory {
  localSite: InventorySite;
  peerSites: InventorySite[];
  serviceProfiles: ServiceProfile[];
  zorgs: Array<{ ZorgIdentifier: string; ZorgName: string }>;
}

/** Kinds of recovery-site objects that vpgSettings ids may point at. */
export type ObjectKind = "host" | "hostCluster" | "datastore" | "datastoreCluster" | "folder" | "resourcePool" | "network";

export class InventoryIndex {
  readonly sites: InventorySite[];

  constructor(readonly data: Inventory) {
    this.sites = [data.localSite, ...data.peerSites];
  }

  static load(file?: string): InventoryIndex {
    const data = file ? (JSON.parse(fs.readFileSync(file, "utf8")) as Inventory) : (bundled as unknown as Inventory);
    if (!data.localSite || !Array.isArray(data.peerSites) || data.peerSites.length === 0) {
      throw new Error("inventory: a localSite and at least one of peerSites are required");
    }
    return new InventoryIndex(data);
  }

  site(id: string | null | undefined): InventorySite | undefined {
    if (!id) return undefined;
    return this.sites.find((s) => s.SiteIdentifier.toLowerCase() === id.toLowerCase());
  }

  /** A peer that replication can target: paired with the local site. */
  pairedPeer(id: string | null | undefined): InventorySite | undefined {
    const site = this.site(id);
    return site && site !== this.data.localSite && (site.PairingStatus ?? 0) === 0 ? site : undefined;
  }

  vm(site: InventorySite, vmId: string): InventoryVm | undefined {
    return site.Vms.find((v) => v.VmIdentifier === vmId);
  }

  /** Which VM of any site has this id (the id embeds its vCenter, so at most one). */
  anyVm(vmId: string): InventoryVm | undefined {
    for (const site of this.sites) {
      const vm = this.vm(site, vmId);
      if (vm) return vm;
    }
    return undefined;
  }

  has(site: InventorySite, kind: ObjectKind, id: string): boolean {
    switch (kind) {
      case "host": return site.Hosts.some((h) => h.HostIdentifier === id);
      case "hostCluster": return site.HostClusters.some((c) => c.ClusterIdentifier === id);
      case "datastore": return site.Datastores.some((d) => d.DatastoreIdentifier === id);
      case "datastoreCluster": return site.DatastoreClusters.some((d) => d.DatastoreClusterIdentifier === id);
      case "folder": return site.Folders.some((f) => f.FolderIdentifier === id);
      case "resourcePool": return site.ResourcePools.some((r) => r.ResourcePoolIdentifier === id);
      case "network": return site.Networks.some((n) => n.NetworkIdentifier === id);
    }
  }
}
