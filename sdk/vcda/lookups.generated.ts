// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.

export interface GetByNameArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetSiteResult {
  /** Sites are named by their short name everywhere in the API, so the id is the name. */
  id: string;
  name: string;
  /** The VCDA's own site. */
  isLocal: boolean;
  description?: string;
}

export interface GetOrgArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The site's short name; the VCDA's local site when absent. */
  site?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetOrgResult {
  /** Organizations are named by their short name in the API, so the id is the name. */
  id: string;
  name: string;
  site?: string;
}

export interface GetVdcArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The organization's short name. */
  org: string;
  /** The site's short name; the VCDA's local site when absent. */
  site?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetVdcResult {
  /** The vDC id, as a replication's destination.vdc takes it. */
  id: string;
  name: string;
  org: string;
  site?: string;
}

export interface GetVmArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** Only VMs of this vDC (its id, e.g. from getVdc). */
  vdc?: string;
  /** A cloud site, or an on-premises site for its vCenter VMs; the VCDA's local site when absent. */
  site?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetVmResult {
  /** The Cloud Director VM id, or the vCenter moref of an on-premises VM. */
  id: string;
  name: string;
  org?: string;
  vdcId?: string;
  /** The vApp the VM belongs to (a VappReplication's source.vappId). */
  vappId?: string;
  vappName?: string;
  /** The vCenter of an on-premises VM. */
  vcUuid?: string;
  powerState?: string;
  site?: string;
  /** True for a vCenter VM of an on-premises site (replicated with source type vcVm and vcUuid). */
  onPremises: boolean;
}

export interface GetStorageProfileArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** The vDC's id (e.g. from getVdc). */
  vdc: string;
  /** The site's short name; the VCDA's local site when absent. */
  site?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetStorageProfileResult {
  /** The storage profile id, as a replication's destination.storageProfile takes it. */
  id: string;
  name: string;
  vdcId: string;
}

export interface SlaRetentionRule {
  numberOfInstances: number;
  /** Minutes between the instances the rule keeps. */
  distance: number;
}

export interface SlaRetentionPolicy {
  rules: SlaRetentionRule[];
}

export interface GetSlaProfileResult {
  /** The SLA profile id, as a replication's slaProfileId takes it. */
  id: string;
  name: string;
  /** RPO in minutes. */
  rpo?: number;
  dataConnectionType?: string;
  quiesced?: boolean;
  retentionPolicy?: SlaRetentionPolicy;
}

export interface GetVappArgs {
  /** The object's name, matched exactly (case included). */
  name: string;
  /** Only vApps of this vDC (its id, e.g. from getVdc). */
  vdc?: string;
  /** A cloud site; the VCDA's local site when absent. */
  site?: string;
  /** Name of one of several connections configured under `<product>:profiles`; the default connection when absent. */
  profile?: string;
}

export interface GetVappResult {
  /** The Cloud Director vApp id (a VappReplication's source.vappId). */
  id: string;
  name: string;
  org?: string;
  vdcId?: string;
  site?: string;
  /** The ids of its VMs, in the order VCDA lists them. */
  vmIds: string[];
  vmNames: string[];
}

export interface GetPolicyResult {
  /** The policy id, as an OrgPolicyAssignment's policyId takes it. */
  id: string;
  name: string;
  minRpo: number;
  maxInstances: number;
  /** How many organizations use the policy (-1 for the default policy). */
  orgs?: number;
}
