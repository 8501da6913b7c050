import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// The connection is vcda:url, vcda:authType (vcdCredentials), vcda:username (admin@org-acme) and
// vcda:password (set it with --secret).
const config = new pulumi.Config();
const rpo = config.requireNumber("rpo");

const replications = config.requireObject<string[]>("vms").map((vmId) =>
  new dr.vcda.VmReplication(`vm-${vmId}`, {
    source: { type: "vm", site: config.require("sourceSite"), vmId },
    destination: {
      type: "vcloud",
      site: config.require("destinationSite"),
      vdc: config.require("destinationVdc"),
      storageProfile: config.require("storageProfile"),
    },
    description: "Managed by Pulumi",
    rpo,
    retentionPolicy: { rules: [{ numberOfInstances: config.requireNumber("instances"), distance: rpo }] },
    // a change that replaces the replication deletes it first: refused at preview unless this is true
    allowProtectionGapOnReplace: config.getBoolean("allowProtectionGapOnReplace"),
  }));

export const replicationIds = replications.map((r) => r.replicationId);
export const vmNames = replications.map((r) => r.vmName);
export const health = replications.map((r) => r.overallHealth);
// why Pulumi leaves a replication alone (null while it replicates as declared), and the state VCDA reports
export const drift = replications.map((r) => r.drift);
export const replicationStates = replications.map((r) => r.replicationState);
