import type { InventorySite, ObjectKind } from "./inventory";
import { Obj, ZERO_GUID, type Definition } from "./settingsModel";
import type { ZvmState } from "./state";
import { isVcdSite, validateVcd } from "./vcd";

const MAX_VPGS_PER_VM = 3;

/**
 * The business validation a commit task runs (docs/api-notes/zerto.md#commit-validation). Returns the
 * reasons the task fails with, empty when the definition can be applied. `vpgId` is the VPG being created
 * or updated.
 */
export function validateCommit(state: ZvmState, def: Definition, vpgId: string, isCreate: boolean): string[] {
  const { inventory } = state;
  const reasons: string[] = [];
  const { Basic: basic, Recovery: recovery, Networks: networks } = def.core;
  const name: string | null = basic.Name;

  if (!name || name.trim() === "") reasons.push("VPG name is missing.");
  if (!isCreate && !state.vpgs[vpgId]) reasons.push(`VPG ${vpgId} does not exist.`);
  if (!isCreate && state.vpgs[vpgId]?.deleting) reasons.push(`VPG ${vpgId} is being deleted.`);

  const protectedSite = inventory.site(basic.ProtectedSiteIdentifier);
  if (protectedSite !== inventory.data.localSite) {
    reasons.push(`Protected site ${basic.ProtectedSiteIdentifier} is not the local site ${state.localSiteId}.`);
  }
  const site = inventory.pairedPeer(basic.RecoverySiteIdentifier);
  if (!basic.RecoverySiteIdentifier) reasons.push("Recovery site is missing.");
  else if (!site) reasons.push(`Recovery site ${basic.RecoverySiteIdentifier} is not a paired peer site.`);

  if (!inRange(basic.JournalHistoryInHours, 1, 720)) {
    reasons.push(`Journal history must be between 1 and 720 hours (was ${basic.JournalHistoryInHours}).`);
  }
  if (!inRange(basic.RpoInSeconds, 60, 86400)) reasons.push(`RPO must be between 60 and 86400 seconds (was ${basic.RpoInSeconds}).`);
  if (basic.ServiceProfileIdentifier && !inventory.data.serviceProfiles.some((p) => p.ServiceProfileIdentifier === basic.ServiceProfileIdentifier)) {
    reasons.push(`Service profile ${basic.ServiceProfileIdentifier} was not found.`);
  }
  if (basic.ZorgIdentifier && basic.ZorgIdentifier !== ZERO_GUID && !inventory.data.zorgs.some((z) => z.ZorgIdentifier === basic.ZorgIdentifier)) {
    reasons.push(`ZORG ${basic.ZorgIdentifier} was not found.`);
  }
  checkLimits(reasons, "Journal", def.core.Journal);
  checkLimits(reasons, "Scratch", def.core.Scratch);

  // a Cloud Director site places VMs in an org vDC: its own rules replace the vSphere placement's (vcd.ts)
  if (!isVcdSite(site)) {
    if (!recovery.DefaultHostIdentifier && !recovery.DefaultHostClusterIdentifier) reasons.push("Recovery host or host cluster is missing.");
    if (!recovery.DefaultDatastoreIdentifier && !recovery.DefaultDatastoreClusterIdentifier) reasons.push("Recovery datastore or datastore cluster is missing.");
    if (!recovery.DefaultFolderIdentifier) reasons.push("Recovery folder is missing.");
    if (!networks.Failover?.Hypervisor?.DefaultNetworkIdentifier) reasons.push("Failover network is missing.");
  }
  if (site) reasons.push(...validateVcd(site, def));

  if (site) {
    const ids = new IdChecker(site, state, reasons);
    ids.check("host", "Recovery host", recovery.DefaultHostIdentifier);
    ids.check("hostCluster", "Recovery host cluster", recovery.DefaultHostClusterIdentifier);
    ids.check("datastore", "Recovery datastore", recovery.DefaultDatastoreIdentifier);
    ids.check("datastoreCluster", "Recovery datastore cluster", recovery.DefaultDatastoreClusterIdentifier);
    ids.check("folder", "Recovery folder", recovery.DefaultFolderIdentifier);
    ids.check("resourcePool", "Resource pool", recovery.ResourcePoolIdentifier);
    ids.check("network", "Failover network", networks.Failover?.Hypervisor?.DefaultNetworkIdentifier);
    ids.check("network", "Failover test network", networks.FailoverTest?.Hypervisor?.DefaultNetworkIdentifier);
    for (const section of ["Journal", "Scratch"]) {
      ids.check("datastore", `${section} datastore`, def.core[section].DatastoreIdentifier);
      ids.check("datastoreCluster", `${section} datastore cluster`, def.core[section].DatastoreClusterIdentifier);
    }
    for (const entry of def.vms) {
      const vm = entry.settings;
      const of = ` of VM ${entry.VmIdentifier}`;
      ids.check("host", `Recovery host${of}`, vm.Recovery.HostIdentifier);
      ids.check("hostCluster", `Recovery host cluster${of}`, vm.Recovery.HostClusterIdentifier);
      ids.check("datastore", `Recovery datastore${of}`, vm.Recovery.DatastoreIdentifier);
      ids.check("datastoreCluster", `Recovery datastore cluster${of}`, vm.Recovery.DatastoreClusterIdentifier);
      ids.check("folder", `Recovery folder${of}`, vm.Recovery.FolderIdentifier);
      ids.check("resourcePool", `Resource pool${of}`, vm.Recovery.ResourcePoolIdentifier);
      ids.check("datastore", `Journal datastore${of}`, vm.Journal.DatastoreIdentifier);
      ids.check("datastore", `Scratch datastore${of}`, vm.Scratch.DatastoreIdentifier);
      for (const vol of vm.Volumes) ids.check("datastore", `Datastore of volume ${vol.VolumeIdentifier}${of}`, vol.Datastore?.DatastoreIdentifier);
      for (const nic of vm.Nics) {
        ids.check("network", `Failover network of ${nic.NicIdentifier}${of}`, nic.Failover?.Hypervisor?.NetworkIdentifier);
        ids.check("network", `Failover test network of ${nic.NicIdentifier}${of}`, nic.FailoverTest?.Hypervisor?.NetworkIdentifier);
      }
      checkLimits(reasons, `Journal${of}`, vm.Journal);
    }
  }

  const others = Object.values(state.vpgs).filter((v) => v.id !== vpgId);
  // Two drafts with one name may both be committed (no check at commit is documented:
  // docs/api-notes/zerto.md#commit-validation): the task that runs first creates the VPG, the other fails
  // here, naming the clash.
  if (name && others.some((v) => String(v.def.core.Basic.Name ?? "").toLowerCase() === name.toLowerCase())) {
    reasons.push(`A VPG named '${name}' already exists.`);
  }
  for (const entry of def.vms) {
    const vmId = entry.VmIdentifier;
    if (!protectedSite || !inventory.vm(protectedSite, vmId)) {
      reasons.push(`VM ${vmId} was not found in the protected site inventory.`);
      continue;
    }
    const memberOf = others.filter((v) => v.def.vms.some((m) => m.VmIdentifier === vmId));
    if (memberOf.length >= MAX_VPGS_PER_VM) reasons.push(`VM ${vmId} is already protected in ${memberOf.length} VPGs, the maximum.`);
    const sameTarget = memberOf.find((v) => v.def.core.Basic.RecoverySiteIdentifier === basic.RecoverySiteIdentifier);
    if (sameTarget) reasons.push(`VM ${vmId} is already replicating to site ${basic.RecoverySiteIdentifier} in VPG '${sameTarget.def.core.Basic.Name}'.`);
  }
  return reasons;
}

function inRange(v: unknown, min: number, max: number): boolean {
  return typeof v === "number" && v >= min && v <= max;
}

function checkLimits(reasons: string[], label: string, section: Obj | undefined): void {
  const l = section?.Limitation;
  if (!l) return;
  if (l.HardLimitInMB > 0 && l.WarningThresholdInMB >= l.HardLimitInMB) {
    reasons.push(`${label} warning threshold (${l.WarningThresholdInMB} MB) must be lower than the hard limit (${l.HardLimitInMB} MB).`);
  }
  if (l.HardLimitInPercent > 0 && l.WarningThresholdInPercent >= l.HardLimitInPercent) {
    reasons.push(`${label} warning threshold (${l.WarningThresholdInPercent}%) must be lower than the hard limit (${l.HardLimitInPercent}%).`);
  }
}

/** Reports ids that are set but absent from the recovery site's inventory, each id once. */
class IdChecker {
  private readonly reported = new Set<string>();

  constructor(private readonly site: InventorySite, private readonly state: ZvmState, private readonly reasons: string[]) {}

  check(kind: ObjectKind, label: string, id: string | null | undefined): void {
    if (id && !this.reported.has(id) && !this.state.inventory.has(this.site, kind, id)) {
      this.reported.add(id);
      this.reasons.push(`${label} ${id} was not found in site '${this.site.SiteName}'.`);
    }
  }
}
