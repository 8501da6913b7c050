import * as pulumi from "@pulumi/pulumi";
import * as dr from "pulumi-drprotect";

// The connection is vcda:url, vcda:authType (vcdCredentials), vcda:username (admin@org-acme) and
// vcda:password (set it with --secret). VMs, the vDC and the storage profile are named, not copied as
// ids: the look-ups below find each one in VCDA (read-only) and fail listing close names on a typo.
const config = new pulumi.Config();
const rpo = config.requireNumber("rpo");
const sourceSite = config.require("sourceSite");
const destinationSite = config.require("destinationSite");

const vdc = dr.vcda.getVdcOutput({ org: config.require("org"), name: config.require("destinationVdc"), site: destinationSite });
const storageProfile = dr.vcda.getStorageProfileOutput({ vdc: vdc.id, name: config.require("storageProfile"), site: destinationSite });

const replications = config.requireObject<string[]>("vms").map((name) =>
  new dr.vcda.VmReplication(`vm-${name}`, {
    source: { type: "vm", site: sourceSite, vmId: dr.vcda.getVmOutput({ name, site: sourceSite }).id },
    destination: {
      type: "vcloud",
      site: destinationSite,
      vdc: vdc.id,
      storageProfile: storageProfile.id,
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
