// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.

export interface GetByNameArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetSiteResult {
  /** The site identifier. */
  id: string;
  name: string;
  /** The ZVM's own site (true) or a paired site. */
  isLocal: boolean;
  location?: string;
  /** The site's Zerto version. */
  version?: string;
}

export interface GetVmArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The site whose vCenter runs the VM; the ZVM's own site when absent. */
  siteId?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetVmResult {
  /** The VM identifier ('<vCenter GUID>.vm-NN'), as a VPG's vms[].vmId takes it. */
  id: string;
  name: string;
  /** The site whose vCenter runs the VM. */
  siteId: string;
  /** Names of the VPGs that protect the VM (empty when it is not protected). */
  vpgNames: string[];
}

export interface GetSiteObjectArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The site whose vCenter holds the object (find it with getSite). */
  siteId: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetSiteObjectResult {
  /** The object's id at the site ('<vCenter GUID>.<moref>'). */
  id: string;
  name: string;
  /** The site whose vCenter holds the object. */
  siteId: string;
}

export interface GetOrgVdcArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The Cloud Director site that holds the org vDC (find it with getSite). */
  siteId: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetOrgVdcResult {
  /** The org vDC identifier, as a VPG's recovery.vcd.orgVdcId takes it. */
  id: string;
  name: string;
  siteId: string;
}

export interface GetInOrgVdcArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The Cloud Director site that holds the org vDC (find it with getSite). */
  siteId: string;
  /** The org vDC that holds the network or storage policy (find it with getOrgVdc). */
  orgVdcId: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetOrgVdcNetworkResult {
  /** The network identifier. */
  id: string;
  name: string;
  siteId: string;
  orgVdcId: string;
}

export interface GetOrgVdcStoragePolicyResult {
  /** The storage policy identifier. */
  id: string;
  name: string;
  siteId: string;
  orgVdcId: string;
  /** A VM cannot recover onto a disabled storage policy. */
  isEnabled: boolean;
}

export interface GetServiceProfileResult {
  /** The service profile identifier, as a VPG's serviceProfileId takes it. */
  id: string;
  name: string;
  description?: string;
}

export interface GetVpgResult {
  /** The VPG identifier. */
  id: string;
  name: string;
  protectedSiteId?: string;
  recoverySiteId?: string;
  /** VpgApi Status as the ZVM sends it (a number). */
  status?: number;
}
