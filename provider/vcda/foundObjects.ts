import type { FoundObject } from "../ownership";
import { sameValue } from "../state";
import type { ReconfigureSpec, ReplicationSpec, VcdaPolicy, VcdaReplication, VcdaVappReplication } from "./models";

/** What an object found in VCDA is called in errors, what makes a replication the one a request meant, and whether it shows a change. */

export function describePolicy(policy: VcdaPolicy): FoundObject {
  return { what: `VCDA replication policy '${policy.displayName}'`, id: policy.id };
}

export function describeReplication(live: VcdaReplication): FoundObject {
  return { what: `VCDA replication of VM ${live.vmName} (${live.vmId}) to ${live.destination.site}, owned by ${live.owner},`, id: live.id };
}

export function describeVappReplication(live: VcdaVappReplication): FoundObject {
  return { what: `VCDA replication of vApp ${live.source.vappName} (${live.source.vappId}) to ${live.destination.site}, owned by ${live.owner},`, id: live.id };
}

/** The one replication a look-up found; more than one cannot be told apart, so nothing is assumed to be the one meant. */
export function onlyOne<T extends { id: string }>(items: T[], of: string): T | undefined {
  if (items.length > 1) {
    throw new Error(`VCDA lists ${items.length} replications of ${of} (${items.map((item) => item.id).join(", ")}); `
      + "Pulumi cannot tell which one is meant, so it neither creates nor adopts one. Remove the extra ones in VCDA.");
  }
  return items[0];
}

/** What makes a replication the one requested: the VM, and where it replicates from and to. */
export function identityOfSpec(spec: ReplicationSpec): Record<string, unknown> {
  return { vmId: spec.source.vmId, sourceSite: spec.source.site, destinationSite: spec.destination.site, destinationVdc: spec.destination.vdc };
}

export function identityOfReplication(live: VcdaReplication): Record<string, unknown> {
  return { vmId: live.vmId, sourceSite: live.source.site, destinationSite: live.destination.site, destinationVdc: live.destination.vdcId ?? undefined };
}

/** Whether a replication shows every setting a reconfigure request asked for. */
export function reconfigured(live: VcdaReplication, spec: ReconfigureSpec): boolean {
  const settings = live.settings as unknown as Record<string, unknown>;
  return Object.entries(spec).every(([field, value]) => {
    if (field === "slaProfileId") return live.slaProfile?.id === value;
    if (field === "sourceReconfigure") return value.vmStartupInfo === undefined || sameValue(live.startupInfo, value.vmStartupInfo);
    return sameValue(settings[field], value);
  });
}
