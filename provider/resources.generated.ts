// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.

/** What schema.json says about a resource that its handler needs, without reading the schema at run time. */
export interface ResourceShape {
  readonly token: string;
  /** Output keys the handler computes: outputs that are not inputs. */
  readonly computedOutputs: readonly string[];
  /** Input paths annotated `replaceOnChanges`: a change of them replaces the resource. */
  readonly replaceOnChanges: string[];
  /** Input paths annotated `createOnly`: used at creation, never compared afterwards. */
  readonly createOnly: string[];
}

/** drprotect:zerto:Vpg: A Zerto Virtual Protection Group, managed through the ZVM vpgSettings create/edit/commit flow. */
export const VPG: ResourceShape = {
  token: "drprotect:zerto:Vpg",
  computedOutputs: ["vpgId", "status", "subStatus", "resolvedProtectedSiteId", "actualRpoSeconds", "lastTest", "protectedVms", "protectedSiteName", "recoverySiteName"],
  replaceOnChanges: ["protectedSiteId", "recoverySiteId", "profile"],
  createOnly: ["adoptExisting"],
};

/** drprotect:vcda:ReplicationPolicy: A VCDA replication policy: the limits that apply to the organizations assigned to it. */
export const REPLICATION_POLICY: ResourceShape = {
  token: "drprotect:vcda:ReplicationPolicy",
  computedOutputs: ["policyId", "orgs", "restoreValues", "compliance"],
  replaceOnChanges: ["isDefault", "profile"],
  createOnly: ["adoptExisting"],
};

/** drprotect:vcda:OrgPolicyAssignment: Which replication policy a VCD organization gets. */
export const ORG_POLICY_ASSIGNMENT: ResourceShape = {
  token: "drprotect:vcda:OrgPolicyAssignment",
  computedOutputs: ["policyDisplayName"],
  replaceOnChanges: ["org", "profile"],
  createOnly: [],
};

/** drprotect:vcda:VmReplication: A VCDA VM replication (protection or migration). */
export const VM_REPLICATION: ResourceShape = {
  token: "drprotect:vcda:VmReplication",
  computedOutputs: ["replicationId", "vmName", "owner", "recoveryState", "isReversed", "dataConnectionState", "overallHealth", "drift", "latestInstance", "currentRpoViolation"],
  replaceOnChanges: ["source.type", "source.site", "source.vmId", "source.vcUuid", "destination.type", "destination.site", "destination.vdc", "destination.storageProfile", "targetDiskType", "isMigration", "profile"],
  createOnly: ["destination.seedVmId", "destination.seedVm", "initialSyncTime", "adoptExisting"],
};

/** drprotect:vcda:VappReplication: A VCDA vApp replication: every VM of a Cloud Director vApp replicated with one set of settings. */
export const VAPP_REPLICATION: ResourceShape = {
  token: "drprotect:vcda:VappReplication",
  computedOutputs: ["replicationId", "vappName", "owner", "overallHealth", "currentRpoViolation", "vms", "drift"],
  replaceOnChanges: ["source.type", "source.site", "source.vappId", "destination.type", "destination.site", "destination.vdc", "destination.storageProfile", "targetDiskType", "isMigration", "profile"],
  createOnly: ["initialSyncTime", "adoptExisting"],
};
