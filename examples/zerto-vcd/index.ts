import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// A VPG that recovers into VMware Cloud Director: an org vDC and org vDC networks replace the
// vSphere host, datastore, folder and network ids, and every VM names its storage policy.
// The connection is zerto:url, zerto:username and zerto:password (set it with --secret).
const config = new pulumi.Config();

const vpg = new dr.zerto.Vpg("web-cloud", {
  name: config.require("vpgName"),
  recoverySiteId: config.require("recoverySiteId"),
  recovery: { vcd: { orgVdcId: config.require("orgVdcId") } },
  networks: {
    failover: {
      vcd: {
        defaultRecoveryOrgVdcNetworkId: config.require("failoverOrgVdcNetworkId"),
        mappings: [{ protectedOrgVdcNetworkId: config.require("mappedProtectedNetworkId"), recoveryOrgVdcNetworkId: config.require("mappedOrgVdcNetworkId") }],
      },
    },
    failoverTest: { vcd: { defaultRecoveryOrgVdcNetworkId: config.require("testOrgVdcNetworkId") } },
  },
  vms: config.requireObject<string[]>("vms").map((vmId) => ({ vmId, recovery: { vcd: { storagePolicyId: config.require("storagePolicyId") } } })),
});

export const vpgId = vpg.vpgId;
export const status = vpg.status;
export const orgVdcId = vpg.recovery.apply((recovery) => recovery.vcd?.orgVdcId);
