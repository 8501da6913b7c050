import { randomUUID } from "node:crypto";
import type {
  VpgBootGroup, VpgInputs, VpgJournal, VpgNicSettings, VpgScript, VpgVm, VpgVmNic, VpgVmRecovery, VpgVmVolume,
} from "../inputs.generated";
import { prune } from "../state";
import type {
  VpgSettings, VpgSettingsBasic, VpgSettingsBootGroup, VpgSettingsJournal, VpgSettingsJournalLimitation, VpgSettingsNetwork, VpgSettingsRecovery,
  VpgSettingsScript, VpgSettingsVm, VpgSettingsVmNicHypervisor, VpgSettingsVmNicNetwork, VpgSettingsVmRecovery, VpgSettingsVmVolume,
} from "./models";
import { byVmId, DEFAULT_BOOT_GROUP, ZERO_GUID } from "./vpgDefinition";
import { applyVcdSettings, withVcdInputs } from "./vcd";

/**
 * The pure half of the VPG resource: inputs ⇄ PascalCase VpgSettings (the comparable shape both
 * sides are normalized into is ./vpgDefinition.ts's). Fields with no server default (ids, scripts, boot groups, per-VM
 * overrides) mean "none" when absent, so the ZVM reports them only when set; fields the ZVM fills
 * with its own defaults (journal limits and datastore, re-IP, MAC, thin disks) are reported only
 * when the user declared them.
 *
 * The ZVM stores each VM's Recovery, Journal, Scratch, Volumes and Nics explicitly
 * (docs/api-notes/zerto.md#vpg-settings-per-vm-values), filled from the VPG defaults only when the VM
 * joins. So every PUT carries each VM's values computed from the VPG's defaults and the VM's declared
 * overrides, and the read-back reports a VM value that differs from what it should inherit as drift.
 */

/** The vSphere placement keys of a recovery section (its `vcd` block is provider/zerto/vcd.ts's). */
type PlacementKey = Exclude<keyof VpgVmRecovery, "vcd">;
/** The same placement fields on the wire: of the VPG, and of one VM. */
type VpgPlacementField = Exclude<keyof VpgSettingsRecovery, "VCD">;
type VmPlacementField = Exclude<keyof VpgSettingsVmRecovery, "VCD">;
/** A datastore, or a datastore cluster: how journals, scratch, volumes and placement name where they go. */
type DatastorePair = Pick<VpgSettingsJournal, "DatastoreIdentifier" | "DatastoreClusterIdentifier">;

const PROFILE_FIELDS = [
  { key: "rpoSeconds", wire: "RpoInSeconds" },
  { key: "journalHistoryHours", wire: "JournalHistoryInHours" },
  { key: "testIntervalMinutes", wire: "TestIntervalInMinutes" },
] as const;

/** Placement keys: input name → wire name at VPG level and per VM. */
const PLACEMENT: Array<{ key: PlacementKey; vpg: VpgPlacementField; vm: VmPlacementField }> = [
  { key: "hostId", vpg: "DefaultHostIdentifier", vm: "HostIdentifier" },
  { key: "hostClusterId", vpg: "DefaultHostClusterIdentifier", vm: "HostClusterIdentifier" },
  { key: "datastoreId", vpg: "DefaultDatastoreIdentifier", vm: "DatastoreIdentifier" },
  { key: "datastoreClusterId", vpg: "DefaultDatastoreClusterIdentifier", vm: "DatastoreClusterIdentifier" },
  { key: "folderId", vpg: "DefaultFolderIdentifier", vm: "FolderIdentifier" },
  { key: "resourcePoolId", vpg: "ResourcePoolIdentifier", vm: "ResourcePoolIdentifier" },
];
/** Pairs of which a placement sets one: setting either member of a pair per VM replaces the VPG's pair. */
const EXCLUSIVE_PAIRS: Array<[PlacementKey, PlacementKey]> = [["hostId", "hostClusterId"], ["datastoreId", "datastoreClusterId"]];

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
 * sections and fields the provider does not model (LTR, VCD, RDM, sync settings) stay as they are,
 * and each VM's placement, journal, scratch, volumes and NICs recomputed from the VPG's values and
 * the VM's declared overrides.
 */
export function toSettings(inputs: VpgInputs, current: VpgSettings, newId: () => string = randomUUID): VpgSettings {
  const out: VpgSettings = structuredClone(current ?? {});
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
  // with a service profile, what the program did not declare is the profile's to set
  if (inputs.serviceProfileId) for (const f of PROFILE_FIELDS) if (inputs[f.key] === undefined) delete out.Basic[f.wire];

  const recovery: VpgSettingsRecovery = { ...out.Recovery };
  for (const p of PLACEMENT) recovery[p.vpg] = inputs.recovery[p.key] ?? null;
  out.Recovery = recovery;

  const networks = out.Networks ?? {};
  const network = (section: VpgSettingsNetwork | undefined, id: string | undefined): VpgSettingsNetwork => ({ ...section, Hypervisor: { ...section?.Hypervisor, DefaultNetworkIdentifier: id ?? null } });
  const failover = network(networks.Failover, inputs.networks.failoverNetworkId);
  const failoverTest = network(networks.FailoverTest, inputs.networks.failoverTestNetworkId);
  out.Networks = { ...networks, Failover: failover, FailoverTest: failoverTest };

  const journal = out.Journal ?? {};
  const limitation: VpgSettingsJournalLimitation = { ...journal.Limitation };
  for (const l of JOURNAL_LIMITS) if (inputs.journal?.[l.key] !== undefined) limitation[l.wire] = inputs.journal[l.key];
  // an undeclared journal datastore is the ZVM's choice: kept as it is, never cleared
  out.Journal = { ...journal, DatastoreIdentifier: inputs.journal?.datastoreId ?? journal.DatastoreIdentifier ?? null, Limitation: limitation };

  const script = (s: VpgScript | undefined) => ({
    Command: s?.command ?? null,
    Parameters: s?.parameters ?? null,
    TimeoutInSeconds: s?.timeoutSeconds ?? SCRIPT_DEFAULT_TIMEOUT,
  });
  out.Scripting = { ...out.Scripting, PreRecovery: script(inputs.scripting?.preRecovery), PostRecovery: script(inputs.scripting?.postRecovery) };

  const existingGroups: VpgSettingsBootGroup[] = out.BootGroups?.BootGroups ?? [];
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

  const currentVms: VpgSettingsVm[] = Array.isArray(out.Vms) ? out.Vms : [];
  const vpgJournal = out.Journal;
  const vpgScratch = out.Scratch;
  out.Vms = inputs.vms.map((vm): VpgSettingsVm => {
    const base: VpgSettingsVm = currentVms.find((v) => v.VmIdentifier === vm.vmId) ?? { VmIdentifier: vm.vmId };
    const placement = vmRecovery(recovery, vm.recovery);
    const vmJournal = vmStorage(base.Journal, vpgJournal, placement, vm.journal);
    return {
      ...base,
      Recovery: { ...base.Recovery, ...placement },
      BootGroupIdentifier: groupId(vm.bootGroup),
      Journal: vmJournal,
      // the ZVM names no per-VM scratch input: it follows the VPG's, else the VM's journal
      ...(vpgScratch ? { Scratch: vmStorage(base.Scratch, vpgScratch, vmJournal) } : {}),
      ...listOf("Volumes", byIdentifier(base.Volumes, vm.volumes, "VolumeIdentifier", (v) => v.volumeId)
        .map(([id, current, declared]) => vmVolume(id, current, declared, placement))),
      ...listOf("Nics", byIdentifier(base.Nics, vm.nics, "NicIdentifier", (n) => n.nicId).map(([id, current, declared]) => ({
        ...current,
        NicIdentifier: id,
        Failover: nicNetwork(current?.Failover, declared?.failover, failover.Hypervisor!.DefaultNetworkIdentifier ?? null),
        FailoverTest: nicNetwork(current?.FailoverTest, declared?.failoverTest, failoverTest.Hypervisor!.DefaultNetworkIdentifier ?? null),
      }))),
    };
  });
  return applyVcdSettings(inputs, out);
}

/** A VM's volumes or NICs, left out when there are none to send (a VM joining now: the ZVM fills in its own). */
function listOf<K extends "Volumes" | "Nics">(key: K, elements: NonNullable<VpgSettingsVm[K]>): Pick<VpgSettingsVm, K> | object {
  return elements.length ? { [key]: elements } : {};
}

/** The elements a VM has (as the ZVM listed them) and those declared, each with its declaration. */
function byIdentifier<W, D>(current: W[] | undefined, declared: D[] | undefined, idKey: keyof W, idOf: (d: D) => string): Array<[string, W | undefined, D | undefined]> {
  const have: W[] = Array.isArray(current) ? current : [];
  const ids = [...have.map((e) => e[idKey] as string), ...(declared ?? []).map(idOf)];
  return [...new Set(ids)].map((id) => [id, have.find((e) => e[idKey] === id), declared?.find((d) => idOf(d) === id)]);
}

/** A storage section's datastore pair, else the fallback's (the VPG's journal, else the VM's recovery datastore). */
function storagePair(own: DatastorePair | undefined, fallback: DatastorePair): { DatastoreIdentifier: string | null; DatastoreClusterIdentifier: string | null } {
  const source = own?.DatastoreIdentifier || own?.DatastoreClusterIdentifier ? own : fallback;
  return { DatastoreIdentifier: source?.DatastoreIdentifier ?? null, DatastoreClusterIdentifier: source?.DatastoreClusterIdentifier ?? null };
}

/** A VM's journal or scratch: the VPG section's limits and datastore (else the fallback's), with the VM's declared overrides. */
function vmStorage(current: VpgSettingsJournal | undefined, vpgSection: VpgSettingsJournal, fallback: DatastorePair, override?: VpgJournal): VpgSettingsJournal {
  const limitation: VpgSettingsJournalLimitation = { ...current?.Limitation, ...vpgSection.Limitation };
  for (const l of JOURNAL_LIMITS) if (override?.[l.key] !== undefined) limitation[l.wire] = override[l.key];
  const pair = override?.datastoreId !== undefined
    ? { DatastoreIdentifier: override.datastoreId, DatastoreClusterIdentifier: null }
    : storagePair(vpgSection, fallback);
  return { ...current, Limitation: limitation, ...pair };
}

/** A volume on its declared datastore, else on the VM's recovery datastore; thin only when declared. */
function vmVolume(id: string, current: VpgSettingsVmVolume | undefined, declared: VpgVmVolume | undefined, placement: VpgSettingsVmRecovery): VpgSettingsVmVolume {
  const own = declared?.datastoreId !== undefined || declared?.datastoreClusterId !== undefined;
  const datastore: NonNullable<VpgSettingsVmVolume["Datastore"]> = {
    ...current?.Datastore,
    DatastoreIdentifier: own ? declared!.datastoreId ?? null : placement.DatastoreIdentifier,
    DatastoreClusterIdentifier: own ? declared!.datastoreClusterId ?? null : placement.DatastoreClusterIdentifier,
  };
  if (declared?.thin !== undefined) datastore.IsThin = declared.thin;
  const volume: VpgSettingsVmVolume = { ...current, VolumeIdentifier: id, Datastore: datastore };
  // a preseed only means something to a volume's initial sync: sent while the ZVM holds none
  if (declared?.preseed && !current?.Preseed) volume.Preseed = { DatastoreIdentifier: declared.preseed.datastoreId, Path: declared.preseed.path };
  return volume;
}

/** One side (failover or test) of a NIC: the declared network, else the VPG's; re-IP and MAC only when declared. */
function nicNetwork(current: VpgSettingsVmNicNetwork | undefined, declared: VpgNicSettings | undefined, vpgNetworkId: string | null): VpgSettingsVmNicNetwork {
  const hypervisor: VpgSettingsVmNicHypervisor = { ...current?.Hypervisor, NetworkIdentifier: declared?.networkId ?? vpgNetworkId ?? null };
  if (declared?.replaceMacAddress !== undefined) hypervisor.ShouldReplaceMacAddress = declared.replaceMacAddress;
  const ip = declared?.ipConfig;
  if (ip) {
    hypervisor.ShouldReplaceIpConfiguration = ip.mode !== "keep";
    hypervisor.IpConfig = ip.mode === "keep" ? null : {
      IsDhcp: ip.mode === "dhcp",
      StaticIp: ip.ip ?? null,
      SubnetMask: ip.subnetMask ?? null,
      Gateway: ip.gateway ?? null,
      PrimaryDns: ip.primaryDns ?? null,
      SecondaryDns: ip.secondaryDns ?? null,
    };
    hypervisor.DnsSuffix = ip.dnsSuffix ?? null;
  }
  return { ...current, Hypervisor: hypervisor };
}

/** A VM's placement: the VPG's, with the VM's overrides (an override of one member of a pair clears the other). */
function vmRecovery(vpgRecovery: VpgSettingsRecovery, override: VpgVmRecovery | undefined): VpgSettingsVmRecovery {
  const placement: Partial<Record<PlacementKey, string | null>> = {};
  for (const p of PLACEMENT) placement[p.key] = vpgRecovery[p.vpg] ?? null;
  for (const [a, b] of EXCLUSIVE_PAIRS) {
    if (override?.[a] !== undefined || override?.[b] !== undefined) {
      placement[a] = override[a] ?? null;
      placement[b] = override[b] ?? null;
    }
  }
  if (override?.folderId !== undefined) placement.folderId = override.folderId;
  if (override?.resourcePoolId !== undefined) placement.resourcePoolId = override.resourcePoolId;
  return Object.fromEntries(PLACEMENT.map((p) => [p.vm, placement[p.key]])) as VpgSettingsVmRecovery;
}

// ---- settings → inputs ----

/**
 * The definition the ZVM holds, in the input shape. `declared` (the user's inputs, or the outputs
 * they produced) decides what is reported of the values the ZVM fills in itself: journal limits,
 * the built-in boot group, and per-VM placement equal to the VPG's.
 */
export function fromSettings(settings: VpgSettings, declared?: Partial<VpgInputs>): VpgInputs {
  const basic = settings.Basic ?? {};
  const r = settings.Recovery ?? {};
  const recovery: Partial<Record<PlacementKey, string>> = {};
  for (const p of PLACEMENT) {
    const value = r[p.vpg];
    if (present(value)) recovery[p.key] = value;
  }

  const groups: VpgSettingsBootGroup[] = settings.BootGroups?.BootGroups ?? [];
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
    .map((vm: VpgSettingsVm): VpgVm => {
      const mine = declaredVms.get(vm.VmIdentifier);
      const vmRecovery: Partial<Record<PlacementKey, string>> = {};
      for (const p of PLACEMENT) {
        const value = vm.Recovery?.[p.vm];
        // the ZVM materializes the VPG's placement into every VM: only a difference is an override
        if (present(value) && (value !== (r[p.vpg] ?? null) || mine?.recovery?.[p.key] !== undefined)) vmRecovery[p.key] = value;
      }
      const bootGroup = groupName(vm.BootGroupIdentifier);
      const placement = vm.Recovery ?? {};
      const inheritedJournal = storagePair(settings.Journal, placement);
      return {
        vmId: vm.VmIdentifier,
        bootGroup: bootGroup !== DEFAULT_BOOT_GROUP || mine?.bootGroup !== undefined ? bootGroup : undefined,
        recovery: Object.keys(vmRecovery).length ? vmRecovery : undefined,
        nics: (Array.isArray(vm.Nics) ? vm.Nics : []).map((nic) => {
          const d = mine?.nics?.find((n) => n.nicId === nic.NicIdentifier);
          return {
            nicId: nic.NicIdentifier,
            failover: nicFromWire(nic.Failover, d?.failover, settings.Networks?.Failover?.Hypervisor?.DefaultNetworkIdentifier),
            failoverTest: nicFromWire(nic.FailoverTest, d?.failoverTest, settings.Networks?.FailoverTest?.Hypervisor?.DefaultNetworkIdentifier),
          };
        }).filter((nic: VpgVmNic) => nic.failover || nic.failoverTest),
        volumes: (Array.isArray(vm.Volumes) ? vm.Volumes : []).map((volume) => {
          const d = mine?.volumes?.find((v) => v.volumeId === volume.VolumeIdentifier);
          const ds = volume.Datastore ?? {};
          const moved = !samePair(ds, { DatastoreIdentifier: placement.DatastoreIdentifier, DatastoreClusterIdentifier: placement.DatastoreClusterIdentifier });
          const own = moved || d?.datastoreId !== undefined || d?.datastoreClusterId !== undefined;
          return {
            volumeId: volume.VolumeIdentifier,
            datastoreId: own && present(ds.DatastoreIdentifier) ? ds.DatastoreIdentifier : undefined,
            datastoreClusterId: own && present(ds.DatastoreClusterIdentifier) ? ds.DatastoreClusterIdentifier : undefined,
            thin: d?.thin !== undefined ? ds.IsThin ?? undefined : undefined,
            // used once, when the VM joined: the declaration stands (the ZVM's copy may be cleared after the initial sync)
            preseed: d?.preseed,
          };
        }).filter((v: VpgVmVolume) => Object.keys(prune(v)).length > 1),
        journal: vmJournalFromWire(vm.Journal, settings.Journal, inheritedJournal, mine?.journal),
      };
    })
    .sort(byVmId);

  const j = settings.Journal ?? {};
  const journal: VpgJournal = {};
  // the ZVM fills the journal datastore in itself: reported only where the program manages it
  if (present(j.DatastoreIdentifier) && (!declared || declared.journal?.datastoreId !== undefined)) journal.datastoreId = j.DatastoreIdentifier;
  for (const l of JOURNAL_LIMITS) {
    if (declared?.journal?.[l.key] !== undefined && j.Limitation?.[l.wire] !== undefined) journal[l.key] = j.Limitation![l.wire];
  }

  const script = (s: VpgSettingsScript | null | undefined): VpgScript | undefined => present(s?.Command)
    ? { command: s!.Command!, parameters: present(s!.Parameters) ? s!.Parameters : undefined, timeoutSeconds: s!.TimeoutInSeconds ?? SCRIPT_DEFAULT_TIMEOUT }
    : undefined;
  const scripting = { preRecovery: script(settings.Scripting?.PreRecovery), postRecovery: script(settings.Scripting?.PostRecovery) };

  return prune(withVcdInputs(settings, declared, {
    name: basic.Name,
    protectedSiteId: basic.ProtectedSiteIdentifier ?? undefined,
    recoverySiteId: basic.RecoverySiteIdentifier,
    ...profileFields(basic, declared),
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
  })) as VpgInputs;
}

/** RPO, history and test interval: with a service profile, reported only where the program declared them. */
function profileFields(basic: VpgSettingsBasic, declared: Partial<VpgInputs> | undefined): Partial<VpgInputs> {
  const out: Partial<Record<(typeof PROFILE_FIELDS)[number]["key"], number>> = {};
  const profile = present(basic.ServiceProfileIdentifier);
  for (const f of PROFILE_FIELDS) if (!profile || !declared || declared[f.key] !== undefined) out[f.key] = basic[f.wire];
  return out as Partial<VpgInputs>;
}

/** One side of a NIC as the program sees it: the network where it is declared or left the VPG's; re-IP and MAC where declared. */
function nicFromWire(side: VpgSettingsVmNicNetwork | undefined, declared: VpgNicSettings | undefined, vpgNetworkId: string | null | undefined): VpgNicSettings | undefined {
  const h: VpgSettingsVmNicHypervisor = side?.Hypervisor ?? {};
  const out: VpgNicSettings = {};
  if (present(h.NetworkIdentifier) && (h.NetworkIdentifier !== (vpgNetworkId ?? null) || declared?.networkId !== undefined)) out.networkId = h.NetworkIdentifier;
  if (declared?.replaceMacAddress !== undefined) out.replaceMacAddress = h.ShouldReplaceMacAddress ?? false;
  if (declared?.ipConfig !== undefined) {
    const ip = h.IpConfig ?? {};
    out.ipConfig = prune({
      mode: !h.ShouldReplaceIpConfiguration ? "keep" : ip.IsDhcp ? "dhcp" : "static",
      ip: ip.StaticIp ?? undefined,
      subnetMask: ip.SubnetMask ?? undefined,
      gateway: ip.Gateway ?? undefined,
      primaryDns: ip.PrimaryDns ?? undefined,
      secondaryDns: ip.SecondaryDns ?? undefined,
      dnsSuffix: h.DnsSuffix ?? undefined,
    });
  }
  return Object.keys(out).length ? out : undefined;
}

/** A VM's journal as the program sees it: what it declared, and whatever differs from what the VM inherits. */
function vmJournalFromWire(vm: VpgSettingsJournal | undefined, vpg: VpgSettingsJournal | undefined, inherited: DatastorePair, declared: VpgJournal | undefined): VpgJournal | undefined {
  if (!vm) return undefined;
  const out: VpgJournal = {};
  if (present(vm.DatastoreIdentifier) && (declared?.datastoreId !== undefined || !samePair(vm, inherited))) out.datastoreId = vm.DatastoreIdentifier;
  for (const l of JOURNAL_LIMITS) {
    const value = vm.Limitation?.[l.wire];
    if (value !== undefined && (declared?.[l.key] !== undefined || value !== vpg?.Limitation?.[l.wire])) out[l.key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function samePair(a: DatastorePair, b: DatastorePair): boolean {
  return (a.DatastoreIdentifier ?? null) === (b.DatastoreIdentifier ?? null) && (a.DatastoreClusterIdentifier ?? null) === (b.DatastoreClusterIdentifier ?? null);
}

function present<T>(value: T): value is Exclude<T, null | undefined> {
  return value !== null && value !== undefined && value !== "";
}
