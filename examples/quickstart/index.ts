import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// Every value comes from stack config (defaults in Pulumi.yaml), so `pulumi config set` is all it
// takes to point the program at another ZVM. The connection itself is zerto:url, zerto:username and
// zerto:password (set it with --secret).
const config = new pulumi.Config();

const vpg = new dr.zerto.Vpg("web-tier", {
  name: config.require("vpgName"),
  recoverySiteId: config.require("recoverySiteId"),
  rpoSeconds: config.requireNumber("rpoSeconds"),
  journalHistoryHours: config.requireNumber("journalHistoryHours"),
  priority: config.require("priority") as "Low" | "Medium" | "High",
  recovery: {
    hostClusterId: config.require("recoveryHostClusterId"),
    datastoreId: config.require("recoveryDatastoreId"),
    folderId: config.require("recoveryFolderId"),
  },
  networks: {
    failoverNetworkId: config.require("failoverNetworkId"),
    failoverTestNetworkId: config.require("failoverTestNetworkId"),
  },
  vms: config.requireObject<string[]>("vms").map((vmId) => ({ vmId })),
  // a change that replaces the VPG deletes it first: refused at preview unless this is true
  allowProtectionGapOnReplace: config.getBoolean("allowProtectionGapOnReplace"),
});

export const vpgId = vpg.vpgId;
export const vpgName = vpg.name;
export const status = vpg.status;
export const recoverySiteId = vpg.recoverySiteId;
export const rpoSeconds = vpg.rpoSeconds;
export const protectedVms = vpg.vms.apply((vms) => vms.length);
export const protectionState = vpg.protectionState;
