import { HttpError } from "../common";
import { arr, isPlainObject, obj, Shape } from "./binding";
import type { InventoryIndex, InventoryVm } from "./inventory";

/**
 * The vpgSettings object (docs/api-notes/zerto.md#vpg-settings-object-shape). A definition is stored as the
 * VPG-level sections plus, per VM, the VM's own Recovery, Journal, Scratch, Volumes and Nics values,
 * stored explicitly as a real 10.x ZVM answers them (docs/api-notes/zerto.md#vpg-settings-per-vm-values):
 * filled from the VPG defaults when the VM joins, then whatever the client sends (see storeVm).
 */
export type Obj = Record<string, any>;

export interface VmEntry {
  VmIdentifier: string;
  /** The VM's stored per-VM values, in wire casing (VmIdentifier included). */
  settings: Obj;
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

/** Defaults of a new settings object (docs/api-notes/zerto.md#vpg-settings-defaults-of-a-new-draft). */
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
 * Lays `over` onto `base`: objects merge key by key, keyed arrays (a VM's volumes and NICs) merge
 * element by element, anything else is replaced. A keyed element naming no element of `base` is a
 * 400: the VM's disks and NICs are the hypervisor's, a settings object cannot add one.
 * Assumption (the API edits "existing values in a VPG", and VpgSettingsVmNicApi/VolumeApi carry
 * only an identifier and settings: docs/api-notes/zerto.md#vpg-settings-per-vm-values): the identifiers name
 * existing NICs and volumes, and the real ZVM's error text for an unknown one is not documented.
 */
export function overlay(base: any, over: any, key?: string, path = ""): any {
  if (over === undefined) return structuredClone(base);
  const idKey = key ? KEYED[key] : undefined;
  if (idKey && Array.isArray(over)) {
    const baseList: Obj[] = Array.isArray(base) ? base : [];
    for (const o of over) {
      if (!baseList.some((b) => b[idKey] === o?.[idKey])) {
        throw new HttpError(400, `The request is invalid. ${path}${key} has no element with ${idKey} '${o?.[idKey]}' (the VM has ${baseList.map((b) => `'${b[idKey]}'`).join(", ") || "none"}).`);
      }
    }
    return baseList.map((b) => {
      const o = over.find((x: Obj) => x[idKey] === b[idKey]);
      return o ? overlay(b, o) : structuredClone(b);
    });
  }
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Obj = structuredClone(base);
    for (const k of Object.keys(over)) out[k] = overlay(base[k], over[k], k, path);
    return out;
  }
  return structuredClone(over);
}

/** A storage pair falling back to another when neither id is set (VM journal → recovery datastore). */
function storage(section: Obj, fallback: Obj): Obj {
  const own = section.DatastoreIdentifier || section.DatastoreClusterIdentifier;
  return {
    Limitation: structuredClone(section.Limitation),
    DatastoreIdentifier: own ? section.DatastoreIdentifier : fallback.DatastoreIdentifier,
    DatastoreClusterIdentifier: own ? section.DatastoreClusterIdentifier : fallback.DatastoreClusterIdentifier,
  };
}

/**
 * The per-VM values a VM gets when it joins a settings object: the VPG defaults of that moment, laid over
 * the VM's own disks and NICs (docs/api-notes/zerto.md#vpg-settings-per-vm-values: every VM carries its
 * Recovery, Journal, Scratch, Volumes and Nics filled in, equal to the VPG's Recovery and Networks
 * defaults). Assumptions where the sample is silent: a VM's journal falls back to its recovery datastore
 * when the VPG names no journal datastore, its scratch to its journal datastore (in the sample the three
 * are the same datastore-3014 while the VPG's Scratch names none), and volumes start thin (sample:
 * "IsThin": true). A VM that joins with Recovery values of its own gets its volumes, journal and scratch on
 * that placement (assumption: the sample cannot tell, its VMs use the VPG's placement).
 */
export function filledVm(vmId: string, core: Obj, inventory: InventoryIndex, ownRecovery?: Obj): Obj {
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
  }, ownRecovery);
  const journal = storage(core.Journal, recovery);
  const vm: InventoryVm | undefined = inventory.anyVm(vmId);
  const nicNet = (networkId: any) => ({
    Hypervisor: { NetworkIdentifier: networkId, ShouldReplaceMacAddress: false, DnsSuffix: null, IpConfig: null, ShouldReplaceIpConfiguration: false },
    VCD: null,
    PublicCloud: null,
  });
  return {
    VmIdentifier: vmId,
    Recovery: recovery,
    BootGroupIdentifier: core.BootGroups?.BootGroups?.[0]?.BootGroupIdentifier ?? ZERO_GUID,
    Journal: journal,
    Scratch: storage(core.Scratch, journal),
    Volumes: (vm?.Volumes ?? []).map((v) => ({
      VolumeIdentifier: v.VmVolumeIdentifier,
      VCD: null,
      Preseed: null,
      RDM: null,
      Datastore: { DatastoreClusterIdentifier: recovery.DatastoreClusterIdentifier, DatastoreIdentifier: recovery.DatastoreIdentifier, IsThin: true },
      IsSwap: null,
      VolumeSyncSettings: "ContinuousSync",
    })),
    Nics: (vm?.Nics ?? []).map((n) => ({
      NicIdentifier: n.NicIdentifier,
      FailoverTest: nicNet(core.Networks.FailoverTest?.Hypervisor?.DefaultNetworkIdentifier ?? null),
      Failover: nicNet(core.Networks.Failover?.Hypervisor?.DefaultNetworkIdentifier ?? null),
    })),
  };
}

/**
 * A VM as a client sent it, folded into what is stored: a VM new to the settings object is filled from the
 * VPG defaults first (filledVm), one already there keeps its stored values. Either way the fields sent then
 * replace the stored ones, and nothing is recomputed later: a change of a VPG default reaches a VM only
 * when the client sends the VM's new values. Assumption
 * (docs/api-notes/zerto.md#vpg-settings-per-vm-values: "The definition of a VPG can be described by the set
 * of values" and the sample's explicit per-VM copies; no document says a default is pushed down): fields a
 * client leaves out of a VM keep their stored value, as with the VPG-level sections of a POST.
 */
export function storeVm(previous: VmEntry | undefined, sent: Obj, core: Obj, inventory: InventoryIndex): VmEntry {
  const VmIdentifier = previous?.VmIdentifier ?? sent.VmIdentifier;
  const base = previous?.settings ?? filledVm(VmIdentifier, core, inventory, sent.Recovery ?? undefined);
  const { VmIdentifier: _id, ...fields } = sent;
  return { VmIdentifier, settings: overlay(base, fields, undefined, `VM ${VmIdentifier}: `) };
}

/** The full wire object of a definition. */
export function renderSettings(def: Definition, ids: { VpgIdentifier: string | null; VpgSettingsIdentifier: string | null }): Obj {
  const out: Obj = { VpgIdentifier: ids.VpgIdentifier, VpgSettingsIdentifier: ids.VpgSettingsIdentifier };
  for (const s of SECTIONS) {
    if (s.name === "Protected") out.Vms = def.vms.map((vm) => structuredClone(vm.settings));
    out[s.name] = structuredClone(def.core[s.name]);
  }
  return out;
}
