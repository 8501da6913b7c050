import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// Every value comes from stack config (defaults in Pulumi.yaml), so `pulumi config set` is all it
// takes to point the program at another ZVM. The connection itself is zerto:url, zerto:username and
// zerto:password (set it with --secret). Sites, VMs and recovery objects are named, not copied as
// GUIDs: the look-ups below find each one on the ZVM (read-only) and fail listing close names on a typo.
const config = new pulumi.Config();

const recoverySite = dr.zerto.getSiteOutput({ name: config.require("recoverySite") });
// the recovery site's vCenter objects, by name
const atRecoverySite = (name: string) => ({ name: config.require(name), siteId: recoverySite.id });

const vpg = new dr.zerto.Vpg("web-tier", {
  name: config.require("vpgName"),
  recoverySiteId: recoverySite.id,
  rpoSeconds: config.requireNumber("rpoSeconds"),
  journalHistoryHours: config.requireNumber("journalHistoryHours"),
  priority: config.require("priority") as "Low" | "Medium" | "High",
  recovery: {
    hostClusterId: dr.zerto.getHostClusterOutput(atRecoverySite("recoveryHostCluster")).id,
    datastoreId: dr.zerto.getDatastoreOutput(atRecoverySite("recoveryDatastore")).id,
    folderId: dr.zerto.getFolderOutput(atRecoverySite("recoveryFolder")).id,
  },
  networks: {
    failoverNetworkId: dr.zerto.getNetworkOutput(atRecoverySite("failoverNetwork")).id,
    failoverTestNetworkId: dr.zerto.getNetworkOutput(atRecoverySite("failoverTestNetwork")).id,
  },
  // the VMs of the ZVM's own (protected) site
  vms: config.requireObject<string[]>("vms").map((name) => ({ vmId: dr.zerto.getVmOutput({ name }).id })),
  // a change that replaces the VPG deletes it first: refused at preview unless this is true
  allowProtectionGapOnReplace: config.getBoolean("allowProtectionGapOnReplace"),
});

export const vpgId = vpg.vpgId;
export const vpgName = vpg.name;
export const status = vpg.status;
export const recoverySiteId = vpg.recoverySiteId;
export const recoverySiteName = recoverySite.name;
export const rpoSeconds = vpg.rpoSeconds;
export const protectedVms = vpg.vms.apply((vms) => vms.length);
export const protectionState = vpg.protectionState;
