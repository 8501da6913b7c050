import { randomUUID } from "node:crypto";
import type { VpgBootGroup, VpgInputs, VpgOutputs, VpgScript, VpgVm, VpgVmRecovery } from "../inputs.generated";
import { VPG } from "../resources.generated";
import { differingKeys, prune, stripUndefined } from "../state";
import type { Wire } from "./client";

/**
 * The pure half of the VPG resource: inputs ⇄ PascalCase VpgSettings, and the comparable shape both
 * sides are normalized into. Fields with no server default (ids, scripts, boot groups, per-VM
 * overrides) mean "none" when absent, so the ZVM reports them only when set; fields the ZVM fills
 * with its own defaults (journal limits) are reported only when the user declared them.
 */

export const DEFAULT_BOOT_GROUP = "Default";
export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

/** Inputs kept in state only: the ZVM has no such setting. */
export const STATE_ONLY_INPUTS = ["keepRecoveryVolumesOnDelete", "adoptExisting", "profile", "allowProtectionGapOnReplace", "failDriftOnUnhealthy"] as const;
/** The input that states the VPG's expected state: observed, never set by Pulumi. */
export const STATE_INPUT = "protectionState";
export const EXPECTED_PROTECTION_STATE = "protected";
/** Outputs the ZVM reports that are not inputs. */
export const OUTPUT_ONLY = VPG.computedOutputs;

const STATUS_NAMES = ["Initializing", "MeetingSLA", "NotMeetingSLA", "RpoNotMeetingSLA", "HistoryNotMeetingSLA", "FailingOver", "Moving", "Deleting", "Recovered"];
const SUBSTATUS_NAMES: Record<number, string> = {
  0: "None", 1: "InitialSync", 2: "Creating", 3: "VolumeInitialSync", 4: "Sync", 5: "RecoveryPossible", 6: "DeltaSync",
  7: "NeedsConfiguration", 8: "Error", 9: "EmptyProtectionGroup", 10: "DisconnectedFromPeerNoRecoveryPoints", 11: "FullSync",
  12: "VolumeDeltaSync", 13: "VolumeFullSync", 14: "FailingOverCommitting", 15: "FailingOverBeforeCommit", 16: "FailingOverRollingBack",
  17: "Promoting", 18: "MovingCommitting", 19: "MovingBeforeCommit", 20: "MovingRollingBack", 21: "Deleting", 22: "PendingRemove",
  23: "BitmapSync", 24: "DisconnectedFromPeer", 25: "ReplicationPausedUserInitiated", 26: "ReplicationPausedSystemInitiated",
  27: "RecoveryStoragePolicyError", 29: "RollingBack", 30: "RecoveryStorageError", 31: "JournalStorageError", 32: "VmNotProtectedError",
  33: "JournalOrRecoveryMissingError", 34: "AddedVmsInInitialSync", 35: "ReplicationPausedForMissingVolume", 36: "StoppingForFailure",
  37: "RollingBackFailOverLiveFailure", 38: "RollingBackMoveFailure", 39: "SplittingCommitting", 40: "PreparePreseed",
};

export function statusName(status: unknown): string | undefined {
  return typeof status === "number" ? STATUS_NAMES[status] ?? String(status) : typeof status === "string" ? status : undefined;
}

export function subStatusName(subStatus: unknown): string | undefined {
  return typeof subStatus === "number" ? SUBSTATUS_NAMES[subStatus] ?? String(subStatus) : typeof subStatus === "string" ? subStatus : undefined;
}

/**
 * What the ZVM is doing with the VPG, from GET /v1/vpgs/{id}: by name (StatusDescription, 10.x) or
 * by the values every source agrees on (5 FailingOver, 6 Moving, 7 Deleting, 8 Recovered; 2–4 are
 * all "not meeting SLA" though sources order 3 and 4 differently), the substatus for a pause, and
 * ActiveProcessesApi for a running failover test.
 */
export function protectionStateOf(vpg: Wire, failOnUnhealthy = false): string {
  const status = typeof vpg.StatusDescription === "string" && vpg.StatusDescription ? vpg.StatusDescription : statusName(vpg.Status);
  const subStatus = typeof vpg.SubStatusDescription === "string" && vpg.SubStatusDescription ? vpg.SubStatusDescription : subStatusName(vpg.SubStatus) ?? "";
  if (status === "Deleting") return "deleting";
  if (status === "FailingOver" || subStatus.startsWith("FailingOver")) return "failingOver";
  if (status === "Moving" || subStatus.startsWith("Moving")) return "moving";
  if (status === "Recovered") return "recovered";
  if (vpg.ActiveProcessesApi?.RunningFailOverTestApi) return "testingFailover";
  if (subStatus.startsWith("ReplicationPaused")) return "paused";
  if (failOnUnhealthy && status !== undefined && status.endsWith("NotMeetingSLA")) return "unhealthy";
  return EXPECTED_PROTECTION_STATE;
}

/** States in which the VPG's definition belongs to a recovery operation: the recorded one is kept (no replace is ever planned from it). */
export const RECOVERY_STATES = ["failingOver", "moving", "recovered", "deleting"];

/** Placement keys: input name → wire name at VPG level and per VM. */
const PLACEMENT: Array<{ key: keyof VpgVmRecovery; vpg: string; vm: string }> = [
  { key: "hostId", vpg: "DefaultHostIdentifier", vm: "HostIdentifier" },
  { key: "hostClusterId", vpg: "DefaultHostClusterIdentifier", vm: "HostClusterIdentifier" },
  { key: "datastoreId", vpg: "DefaultDatastoreIdentifier", vm: "DatastoreIdentifier" },
  { key: "datastoreClusterId", vpg: "DefaultDatastoreClusterIdentifier", vm: "DatastoreClusterIdentifier" },
  { key: "folderId", vpg: "DefaultFolderIdentifier", vm: "FolderIdentifier" },
  { key: "resourcePoolId", vpg: "ResourcePoolIdentifier", vm: "ResourcePoolIdentifier" },
];
/** Pairs of which a placement sets one: setting either member of a pair per VM replaces the VPG's pair. */
const EXCLUSIVE_PAIRS: Array<[keyof VpgVmRecovery, keyof VpgVmRecovery]> = [["hostId", "hostClusterId"], ["datastoreId", "datastoreClusterId"]];

const JOURNAL_LIMITS = [
  { key: "hardLimitMb", wire: "HardLimitInMB" },
  { key: "warningThresholdMb", wire: "WarningThresholdInMB" },
  { key: "hardLimitPercent", wire: "HardLimitInPercent" },
  { key: "warningThresholdPercent", wire: "WarningThresholdInPercent" },
] as const;

const SCRIPT_DEFAULT_TIMEOUT = 300;

// ---- inputs → settings ----

/**
 * The settings to PUT: the desired definition laid over what the ZVM returned for the draft, so
 * sections and fields the provider does not model (Scratch, LTR, VM volumes and NICs) stay as they are.
 */
export function toSettings(inputs: VpgInputs, current: Wire, newId: () => string = randomUUID): Wire {
  const out: Wire = structuredClone(current ?? {});
  const basic = out.Basic ?? {};
  out.Basic = {
    ...basic,
    Name: inputs.name,
    RpoInSeconds: inputs.rpoSeconds ?? basic.RpoInSeconds,
    TestIntervalInMinutes: inputs.testIntervalMinutes ?? basic.TestIntervalInMinutes,
    JournalHistoryInHours: inputs.journalHistoryHours ?? basic.JournalHistoryInHours,
    Priority: inputs.priority ?? basic.Priority,
    UseWanCompression: inputs.useWanCompression ?? basic.UseWanCompression,
    ServiceProfileIdentifier: inputs.serviceProfileId ?? null,
    ZorgIdentifier: inputs.zorgId ?? null,
    ProtectedSiteIdentifier: inputs.protectedSiteId ?? basic.ProtectedSiteIdentifier,
    RecoverySiteIdentifier: inputs.recoverySiteId,
  };

  const recovery: Wire = { ...out.Recovery };
  for (const p of PLACEMENT) recovery[p.vpg] = inputs.recovery[p.key] ?? null;
  out.Recovery = recovery;

  const networks = out.Networks ?? {};
  const network = (section: Wire | undefined, id: string | undefined) => ({ ...section, Hypervisor: { ...section?.Hypervisor, DefaultNetworkIdentifier: id ?? null } });
  out.Networks = {
    ...networks,
    Failover: network(networks.Failover, inputs.networks.failoverNetworkId),
    FailoverTest: network(networks.FailoverTest, inputs.networks.failoverTestNetworkId),
  };

  const journal = out.Journal ?? {};
  const limitation: Wire = { ...journal.Limitation };
  for (const l of JOURNAL_LIMITS) if (inputs.journal?.[l.key] !== undefined) limitation[l.wire] = inputs.journal[l.key];
  out.Journal = { ...journal, DatastoreIdentifier: inputs.journal?.datastoreId ?? null, Limitation: limitation };

  const script = (s: VpgScript | undefined) => ({
    Command: s?.command ?? null,
    Parameters: s?.parameters ?? null,
    TimeoutInSeconds: s?.timeoutSeconds ?? SCRIPT_DEFAULT_TIMEOUT,
  });
  out.Scripting = { ...out.Scripting, PreRecovery: script(inputs.scripting?.preRecovery), PostRecovery: script(inputs.scripting?.postRecovery) };

  const existingGroups: Wire[] = out.BootGroups?.BootGroups ?? [];
  const declared = inputs.bootGroups ?? [];
  // VMs without a boot group start first, in the built-in group
  const groups = declared.some((g) => g.name === DEFAULT_BOOT_GROUP) ? declared : [{ name: DEFAULT_BOOT_GROUP, bootDelaySeconds: 0 }, ...declared];
  const bootGroups = groups.map((g) => ({
    BootGroupIdentifier: existingGroups.find((e) => e.Name === g.name)?.BootGroupIdentifier ?? (g.name === DEFAULT_BOOT_GROUP ? ZERO_GUID : newId()),
    Name: g.name,
    BootDelayInSeconds: g.bootDelaySeconds ?? 0,
  }));
  out.BootGroups = { ...out.BootGroups, BootGroups: bootGroups };
  const groupId = (name: string | undefined) => bootGroups.find((g) => g.Name === (name ?? DEFAULT_BOOT_GROUP))!.BootGroupIdentifier;

  const currentVms: Wire[] = Array.isArray(out.Vms) ? out.Vms : [];
  out.Vms = inputs.vms.map((vm) => {
    const base = currentVms.find((v) => v.VmIdentifier === vm.vmId) ?? { VmIdentifier: vm.vmId };
    return { ...base, Recovery: { ...base.Recovery, ...vmRecovery(recovery, vm.recovery) }, BootGroupIdentifier: groupId(vm.bootGroup) };
  });
  return out;
}

/** A VM's placement: the VPG's, with the VM's overrides (an override of one member of a pair clears the other). */
function vmRecovery(vpgRecovery: Wire, override: VpgVmRecovery | undefined): Wire {
  const placement: Partial<Record<keyof VpgVmRecovery, string | null>> = {};
  for (const p of PLACEMENT) placement[p.key] = vpgRecovery[p.vpg] ?? null;
  for (const [a, b] of EXCLUSIVE_PAIRS) {
    if (override?.[a] !== undefined || override?.[b] !== undefined) {
      placement[a] = override[a] ?? null;
      placement[b] = override[b] ?? null;
    }
  }
  if (override?.folderId !== undefined) placement.folderId = override.folderId;
  if (override?.resourcePoolId !== undefined) placement.resourcePoolId = override.resourcePoolId;
  return Object.fromEntries(PLACEMENT.map((p) => [p.vm, placement[p.key]]));
}

// ---- settings → inputs ----

/**
 * The definition the ZVM holds, in the input shape. `declared` (the user's inputs, or the outputs
 * they produced) decides what is reported of the values the ZVM fills in itself: journal limits,
 * the built-in boot group, and per-VM placement equal to the VPG's.
 */
export function fromSettings(settings: Wire, declared?: Partial<VpgInputs>): VpgInputs {
  const basic = settings.Basic ?? {};
  const r = settings.Recovery ?? {};
  const recovery: Wire = {};
  for (const p of PLACEMENT) if (present(r[p.vpg])) recovery[p.key] = r[p.vpg];

  const groups: Wire[] = settings.BootGroups?.BootGroups ?? [];
  const groupName = (id: string | null | undefined) => {
    const group = groups.find((g) => g.BootGroupIdentifier === id);
    return !id || id === ZERO_GUID ? DEFAULT_BOOT_GROUP : group?.Name ?? id;
  };
  const declaresDefaultGroup = (declared?.bootGroups ?? []).some((g) => g.name === DEFAULT_BOOT_GROUP);
  const bootGroups: VpgBootGroup[] = groups
    .filter((g) => declaresDefaultGroup || !(g.Name === DEFAULT_BOOT_GROUP || g.BootGroupIdentifier === ZERO_GUID))
    .map((g) => ({ name: g.Name, bootDelaySeconds: g.BootDelayInSeconds ?? 0 }));

  const declaredVms = new Map((Array.isArray(declared?.vms) ? declared.vms : []).map((vm) => [vm.vmId, vm]));
  const vms: VpgVm[] = (Array.isArray(settings.Vms) ? settings.Vms : [])
    .map((vm: Wire): VpgVm => {
      const mine = declaredVms.get(vm.VmIdentifier);
      const vmRecovery: Wire = {};
      for (const p of PLACEMENT) {
        const value = vm.Recovery?.[p.vm];
        // the ZVM materializes the VPG's placement into every VM: only a difference is an override
        if (present(value) && (value !== (r[p.vpg] ?? null) || mine?.recovery?.[p.key] !== undefined)) vmRecovery[p.key] = value;
      }
      const bootGroup = groupName(vm.BootGroupIdentifier);
      return {
        vmId: vm.VmIdentifier,
        bootGroup: bootGroup !== DEFAULT_BOOT_GROUP || mine?.bootGroup !== undefined ? bootGroup : undefined,
        recovery: Object.keys(vmRecovery).length ? vmRecovery : undefined,
      };
    })
    .sort(byVmId);

  const j = settings.Journal ?? {};
  const journal: Wire = {};
  if (present(j.DatastoreIdentifier)) journal.datastoreId = j.DatastoreIdentifier;
  for (const l of JOURNAL_LIMITS) {
    if (declared?.journal?.[l.key] !== undefined && j.Limitation?.[l.wire] !== undefined) journal[l.key] = j.Limitation[l.wire];
  }

  const script = (s: Wire | null | undefined): VpgScript | undefined => present(s?.Command)
    ? { command: s!.Command, parameters: present(s!.Parameters) ? s!.Parameters : undefined, timeoutSeconds: s!.TimeoutInSeconds ?? SCRIPT_DEFAULT_TIMEOUT }
    : undefined;
  const scripting = { preRecovery: script(settings.Scripting?.PreRecovery), postRecovery: script(settings.Scripting?.PostRecovery) };

  return prune({
    name: basic.Name,
    protectedSiteId: basic.ProtectedSiteIdentifier ?? undefined,
    recoverySiteId: basic.RecoverySiteIdentifier,
    rpoSeconds: basic.RpoInSeconds,
    journalHistoryHours: basic.JournalHistoryInHours,
    testIntervalMinutes: basic.TestIntervalInMinutes,
    priority: basic.Priority,
    useWanCompression: basic.UseWanCompression,
    serviceProfileId: present(basic.ServiceProfileIdentifier) ? basic.ServiceProfileIdentifier : undefined,
    zorgId: present(basic.ZorgIdentifier) && basic.ZorgIdentifier !== ZERO_GUID ? basic.ZorgIdentifier : undefined,
    recovery,
    networks: {
      failoverNetworkId: settings.Networks?.Failover?.Hypervisor?.DefaultNetworkIdentifier ?? undefined,
      failoverTestNetworkId: settings.Networks?.FailoverTest?.Hypervisor?.DefaultNetworkIdentifier ?? undefined,
    },
    journal,
    vms,
    bootGroups,
    scripting,
  }) as VpgInputs;
}

/**
 * The resource's outputs: the live definition, the state-only inputs, the observed protectionState
 * and what the ZVM reports about the VPG. Outputs the ZVM may not report are null rather than
 * absent: an absent output is unknown in every preview.
 */
export function toOutputs(live: VpgInputs, vpg: Wire, declared: Partial<VpgInputs>): VpgOutputs {
  const stateOnly = Object.fromEntries(STATE_ONLY_INPUTS.map((key) => [key, declared[key]]));
  return stripUndefined({
    ...live,
    ...stateOnly,
    protectionState: protectionStateOf(vpg, declared.failDriftOnUnhealthy === true),
    vpgId: vpg.VpgIdentifier,
    status: statusName(vpg.Status),
    subStatus: subStatusName(vpg.SubStatus),
    // reported as an input only when the program set it, so that refresh does not invent it
    protectedSiteId: declared.protectedSiteId !== undefined ? live.protectedSiteId : undefined,
    resolvedProtectedSiteId: live.protectedSiteId ?? vpg.ProtectedSite?.identifier,
    actualRpoSeconds: typeof vpg.ActualRPO === "number" ? vpg.ActualRPO : null,
    // names beside the site ids, for reviewers: the VPG's own answer carries them, no extra request
    protectedSiteName: typeof vpg.ProtectedSiteName === "string" && vpg.ProtectedSiteName ? vpg.ProtectedSiteName : null,
    recoverySiteName: typeof vpg.RecoverySiteName === "string" && vpg.RecoverySiteName ? vpg.RecoverySiteName : null,
  }) as VpgOutputs;
}

/** Input order the engine shows diffs in: VMs as a set, sorted by vmId (as the ZVM's definition is read back). */
export function canonicalInputs(inputs: VpgInputs): VpgInputs {
  if (!Array.isArray(inputs.vms) || !inputs.vms.every((vm) => vm && typeof vm.vmId === "string")) return inputs;
  return { ...inputs, vms: [...inputs.vms].sort(byVmId) };
}

/** What `read` reports as the resource's inputs: its outputs without the fields only the ZVM sets. */
export function inputsOf(outputs: VpgOutputs): VpgInputs {
  const inputs: Record<string, unknown> = { ...outputs };
  for (const key of OUTPUT_ONLY) delete inputs[key];
  return inputs as unknown as VpgInputs;
}

// ---- comparison ----

/**
 * The canonical form two definitions are compared in: VMs as a set (sorted by vmId), the built-in
 * boot group implied, empty sections dropped. Values unknown during preview stay as they are, so
 * they never compare equal.
 */
export function normalize(value: Partial<VpgInputs>): Record<string, unknown> {
  const out: Record<string, any> = structuredClone(value ?? {});
  for (const key of OUTPUT_ONLY) delete out[key];
  if (Array.isArray(out.vms)) {
    out.vms = out.vms.map((vm: Wire) => (vm && vm.bootGroup === DEFAULT_BOOT_GROUP ? { ...vm, bootGroup: undefined } : vm)).sort(byVmId);
  }
  if (Array.isArray(out.bootGroups)) {
    const groups: Wire[] = out.bootGroups.map((g: Wire) => (g && typeof g === "object" ? { bootDelaySeconds: 0, ...g } : g));
    // the built-in group first with no delay is what the ZVM does when it is not declared
    if (groups[0]?.name === DEFAULT_BOOT_GROUP && groups[0]?.bootDelaySeconds === 0) groups.shift();
    out.bootGroups = groups;
  }
  return prune(out);
}

/** Top-level input keys whose values differ between two definitions. */
export function changedKeys(olds: Partial<VpgInputs>, news: Partial<VpgInputs>, ignore: readonly string[] = []): string[] {
  const a = normalize({ ...olds, protectedSiteId: olds.protectedSiteId ?? (olds as Partial<VpgOutputs>).resolvedProtectedSiteId });
  const b = normalize(news);
  // the ZVM resolves an absent protected site to its own: that is no change
  if (b.protectedSiteId === undefined) delete a.protectedSiteId;
  // state recorded before protectionState existed was the expected one
  for (const side of [a, b]) side[STATE_INPUT] ??= EXPECTED_PROTECTION_STATE;
  return differingKeys(a, b, ignore);
}

function byVmId(a: { vmId?: unknown }, b: { vmId?: unknown }): number {
  return String(a?.vmId).localeCompare(String(b?.vmId));
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== "";
}
