import { arr, isPlainObject, obj, Shape } from "./binding";
import type { InventoryIndex, InventoryVm } from "./inventory";

/**
 * The vpgSettings object (notes §4, samples/vpgsettings-v10.json). A definition is stored as the
 * VPG-level sections plus, per VM, only the values the user set explicitly; the per-VM Recovery,
 * Journal, Scratch, Volumes and Nics the ZVM shows are materialized from the VPG defaults on read,
 * so a changed VPG default flows to every VM that did not override it.
 */
export type Obj = Record<string, any>;

export interface VmEntry {
  VmIdentifier: string;
  override: Obj;
}

export interface Definition {
  /** Every section except Vms, in wire casing. */
  core: Obj;
  vms: VmEntry[];
}

export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";

const str: Shape = "string";
const int: Shape = "int";
const bool: Shape = "bool";
const raw: Shape = "raw";

const limitedStorage = obj({
  Limitation: obj({ HardLimitInMB: int, HardLimitInPercent: int, WarningThresholdInMB: int, WarningThresholdInPercent: int }),
  DatastoreIdentifier: str,
  DatastoreClusterIdentifier: str,
});
const script = obj({ Command: str, Parameters: str, TimeoutInSeconds: int });
const vpgNetwork = obj({ VCD: raw, Hypervisor: obj({ DefaultNetworkIdentifier: str }), PublicCloud: raw });
const nicNetwork = obj({
  Hypervisor: obj({
    NetworkIdentifier: str,
    ShouldReplaceMacAddress: bool,
    DnsSuffix: str,
    IpConfig: obj({ IsDhcp: bool, StaticIp: str, SubnetMask: str, Gateway: str, PrimaryDns: str, SecondaryDns: str }),
    ShouldReplaceIpConfiguration: bool,
  }),
  VCD: raw,
  PublicCloud: raw,
});

export const VOLUME_SHAPE = obj({
  VolumeIdentifier: str,
  VCD: raw,
  Preseed: raw,
  RDM: raw,
  Datastore: obj({ DatastoreClusterIdentifier: str, DatastoreIdentifier: str, IsThin: bool }),
  IsSwap: bool,
  VolumeSyncSettings: str,
});
export const NIC_SHAPE = obj({ NicIdentifier: str, FailoverTest: nicNetwork, Failover: nicNetwork });

export const VM_SHAPE = obj({
  VmIdentifier: str,
  Recovery: obj({
    HostIdentifier: str,
    HostClusterIdentifier: str,
    DatastoreIdentifier: str,
    DatastoreClusterIdentifier: str,
    FolderIdentifier: str,
    ResourcePoolIdentifier: str,
    VCD: raw,
    PublicCloud: raw,
  }),
  BootGroupIdentifier: str,
  Journal: limitedStorage,
  Scratch: limitedStorage,
  Volumes: arr(VOLUME_SHAPE),
  Nics: arr(NIC_SHAPE),
});

/** VPG-level sections in wire order, with the URL segment of their sub-resource (none for Protected). */
export const SECTIONS: Array<{ name: string; segment: string; shape: Shape }> = [
  {
    name: "Basic",
    segment: "basic",
    shape: obj({
      Name: str,
      VpgType: str,
      RpoInSeconds: int,
      TestIntervalInMinutes: int,
      JournalHistoryInHours: int,
      Priority: "priority",
      UseWanCompression: bool,
      ServiceProfileIdentifier: str,
      ZorgIdentifier: str,
      ProtectedSiteIdentifier: str,
      RecoverySiteIdentifier: str,
    }),
  },
  { name: "Scripting", segment: "scripting", shape: obj({ PreRecovery: script, PostRecovery: script, PostBackup: script }) },
  {
    name: "BootGroups",
    segment: "bootgroup",
    shape: obj({ BootGroups: arr(obj({ BootGroupIdentifier: str, Name: str, BootDelayInSeconds: int })) }),
  },
  { name: "Journal", segment: "journal", shape: limitedStorage },
  { name: "Scratch", segment: "scratch", shape: limitedStorage },
  { name: "LongTermRetention", segment: "ltr", shape: raw },
  {
    name: "Recovery",
    segment: "recovery",
    shape: obj({
      DefaultHostIdentifier: str,
      DefaultHostClusterIdentifier: str,
      DefaultDatastoreIdentifier: str,
      DefaultDatastoreClusterIdentifier: str,
      DefaultFolderIdentifier: str,
      ResourcePoolIdentifier: str,
      VCD: raw,
      PublicCloud: raw,
    }),
  },
  { name: "Networks", segment: "networks", shape: obj({ Failover: vpgNetwork, FailoverTest: vpgNetwork }) },
  { name: "Protected", segment: "", shape: obj({ VCD: raw }) },
];

export const SETTINGS_SHAPE = obj({
  VpgIdentifier: str,
  VpgSettingsIdentifier: str,
  ...Object.fromEntries(SECTIONS.map((s) => [s.name, s.shape])),
  Vms: arr(VM_SHAPE),
});

/** Defaults of a new settings object (notes §10.3). */
export function defaultSections(localSiteId: string): Obj {
  const limits = (hard: number, warn: number) => ({
    Limitation: { HardLimitInMB: hard, HardLimitInPercent: 0, WarningThresholdInMB: warn, WarningThresholdInPercent: 0 },
    DatastoreIdentifier: null,
    DatastoreClusterIdentifier: null,
  });
  const scriptDefault = () => ({ Command: null, Parameters: null, TimeoutInSeconds: 300 });
  const network = () => ({ VCD: null, Hypervisor: { DefaultNetworkIdentifier: null }, PublicCloud: null });
  return {
    Basic: {
      Name: null,
      VpgType: "Remote",
      RpoInSeconds: 300,
      TestIntervalInMinutes: 262080,
      JournalHistoryInHours: 24,
      Priority: "Medium",
      UseWanCompression: true,
      ServiceProfileIdentifier: null,
      ZorgIdentifier: null,
      ProtectedSiteIdentifier: localSiteId,
      RecoverySiteIdentifier: null,
    },
    Scripting: { PreRecovery: scriptDefault(), PostRecovery: scriptDefault(), PostBackup: null },
    BootGroups: { BootGroups: [{ BootGroupIdentifier: ZERO_GUID, Name: "Default", BootDelayInSeconds: 0 }] },
    Journal: limits(153600, 115200),
    Scratch: limits(307200, 230400),
    LongTermRetention: null,
    Recovery: {
      DefaultHostIdentifier: null,
      DefaultHostClusterIdentifier: null,
      DefaultDatastoreIdentifier: null,
      DefaultDatastoreClusterIdentifier: null,
      DefaultFolderIdentifier: null,
      ResourcePoolIdentifier: null,
      VCD: null,
      PublicCloud: null,
    },
    Networks: { Failover: network(), FailoverTest: network() },
    Protected: { VCD: null },
  };
}

/** Arrays whose elements are matched by an identifier rather than replaced wholesale. */
const KEYED: Record<string, string> = { Volumes: "VolumeIdentifier", Nics: "NicIdentifier" };

/**
 * Lays `over` onto `base`: objects merge key by key, keyed arrays merge element by element, anything
 * else is replaced. With `append`, keyed elements missing from `base` are added (merging two overrides);
 * without, they are dropped (materializing onto the VM's real volumes and NICs).
 */
export function overlay(base: any, over: any, append = false, key?: string): any {
  if (over === undefined) return structuredClone(base);
  const idKey = key ? KEYED[key] : undefined;
  if (idKey && Array.isArray(over)) {
    const baseList: Obj[] = Array.isArray(base) ? base : [];
    const merged = baseList.map((b) => {
      const o = over.find((x: Obj) => x[idKey] === b[idKey]);
      return o ? overlay(b, o, append) : structuredClone(b);
    });
    if (append) merged.push(...over.filter((o: Obj) => !baseList.some((b) => b[idKey] === o[idKey])).map((o: Obj) => structuredClone(o)));
    return merged;
  }
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Obj = structuredClone(base);
    for (const k of Object.keys(over)) out[k] = overlay(base[k], over[k], append, k);
    return out;
  }
  return structuredClone(over);
}

/** What `value` sets that `base` does not already have (undefined when nothing). */
export function diff(value: any, base: any, key?: string): any {
  const idKey = key ? KEYED[key] : undefined;
  if (idKey && Array.isArray(value)) {
    const out: Obj[] = [];
    for (const el of value) {
      if (!isPlainObject(el)) continue;
      const b = Array.isArray(base) ? base.find((x: Obj) => x[idKey] === el[idKey]) : undefined;
      const d = b ? diff(el, b) : undefined;
      if (d !== undefined) out.push({ [idKey]: el[idKey], ...d });
    }
    return out.length ? out : undefined;
  }
  if (isPlainObject(value) && isPlainObject(base)) {
    const out: Obj = {};
    for (const k of Object.keys(value)) {
      const d = diff(value[k], base[k], k);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(value) === JSON.stringify(base) ? undefined : structuredClone(value);
}

/** A storage pair falling back to another when neither id is set (VM journal → recovery datastore). */
function storage(section: Obj, fallback: { DatastoreIdentifier: any; DatastoreClusterIdentifier: any }): Obj {
  const own = section.DatastoreIdentifier || section.DatastoreClusterIdentifier;
  return {
    Limitation: structuredClone(section.Limitation),
    DatastoreIdentifier: own ? section.DatastoreIdentifier : fallback.DatastoreIdentifier,
    DatastoreClusterIdentifier: own ? section.DatastoreClusterIdentifier : fallback.DatastoreClusterIdentifier,
  };
}

/** The per-VM settings the ZVM shows: VPG defaults, the VM's disks and NICs, then the explicit overrides. */
export function materializeVm(entry: VmEntry, core: Obj, inventory: InventoryIndex): Obj {
  const o = entry.override;
  const r = core.Recovery;
  const recovery = overlay({
    HostIdentifier: r.DefaultHostIdentifier,
    HostClusterIdentifier: r.DefaultHostClusterIdentifier,
    DatastoreIdentifier: r.DefaultDatastoreIdentifier,
    DatastoreClusterIdentifier: r.DefaultDatastoreClusterIdentifier,
    FolderIdentifier: r.DefaultFolderIdentifier,
    ResourcePoolIdentifier: r.ResourcePoolIdentifier,
    VCD: null,
    PublicCloud: null,
  }, o.Recovery);
  const journal = overlay(storage(core.Journal, recovery), o.Journal);
  const scratch = overlay(storage(core.Scratch, journal), o.Scratch);
  const vm: InventoryVm | undefined = inventory.anyVm(entry.VmIdentifier);
  const volumes = (vm?.Volumes ?? []).map((v) => ({
    VolumeIdentifier: v.VmVolumeIdentifier,
    VCD: null,
    Preseed: null,
    RDM: null,
    Datastore: { DatastoreClusterIdentifier: recovery.DatastoreClusterIdentifier, DatastoreIdentifier: recovery.DatastoreIdentifier, IsThin: true },
    IsSwap: null,
    VolumeSyncSettings: "ContinuousSync",
  }));
  const nicNet = (networkId: any) => ({
    Hypervisor: { NetworkIdentifier: networkId, ShouldReplaceMacAddress: false, DnsSuffix: null, IpConfig: null, ShouldReplaceIpConfiguration: false },
    VCD: null,
    PublicCloud: null,
  });
  const nics = (vm?.Nics ?? []).map((n) => ({
    NicIdentifier: n.NicIdentifier,
    FailoverTest: nicNet(core.Networks.FailoverTest?.Hypervisor?.DefaultNetworkIdentifier ?? null),
    Failover: nicNet(core.Networks.Failover?.Hypervisor?.DefaultNetworkIdentifier ?? null),
  }));
  return {
    VmIdentifier: entry.VmIdentifier,
    Recovery: recovery,
    BootGroupIdentifier: o.BootGroupIdentifier ?? core.BootGroups?.BootGroups?.[0]?.BootGroupIdentifier ?? ZERO_GUID,
    Journal: journal,
    Scratch: scratch,
    Volumes: overlay(volumes, o.Volumes, false, "Volumes"),
    Nics: overlay(nics, o.Nics, false, "Nics"),
  };
}

/**
 * Folds a VM as a client sent it (often a full GET-mutate-PUT copy) into its stored override. What the
 * client changed is measured against what the ZVM showed before (`oldCore`), so a VM echoed back with
 * stale inherited values still follows a new VPG default; values equal to what it would inherit under
 * `newCore` are then dropped, keeping only real per-VM overrides.
 */
export function foldVm(previous: VmEntry | undefined, sent: Obj, oldCore: Obj, newCore: Obj, inventory: InventoryIndex): VmEntry {
  const VmIdentifier = previous?.VmIdentifier ?? sent.VmIdentifier;
  const before = previous ?? { VmIdentifier, override: {} };
  const changes = diff(sent, materializeVm(before, oldCore, inventory)) ?? {};
  delete changes.VmIdentifier;
  const merged = overlay(before.override, changes, true);
  // Each section inherits from the ones before it (volumes from the VM's recovery datastore, …).
  const inherit = (override: Obj) => materializeVm({ VmIdentifier, override }, newCore, inventory);
  const pure = inherit({});
  const override: Obj = {
    Recovery: diff(merged.Recovery, pure.Recovery),
    BootGroupIdentifier: diff(merged.BootGroupIdentifier, pure.BootGroupIdentifier),
  };
  const withRecovery = inherit(override);
  override.Journal = diff(merged.Journal, withRecovery.Journal);
  override.Volumes = diff(merged.Volumes, withRecovery.Volumes, "Volumes");
  override.Nics = diff(merged.Nics, pure.Nics, "Nics");
  override.Scratch = diff(merged.Scratch, inherit(override).Scratch);
  for (const k of Object.keys(override)) if (override[k] === undefined) delete override[k];
  return { VmIdentifier, override };
}

/** The full wire object of a definition. */
export function renderSettings(def: Definition, ids: { VpgIdentifier: string | null; VpgSettingsIdentifier: string | null }, inventory: InventoryIndex): Obj {
  const out: Obj = { VpgIdentifier: ids.VpgIdentifier, VpgSettingsIdentifier: ids.VpgSettingsIdentifier };
  for (const s of SECTIONS) {
    if (s.name === "Protected") out.Vms = def.vms.map((vm) => materializeVm(vm, def.core, inventory));
    out[s.name] = structuredClone(def.core[s.name]);
  }
  return out;
}
