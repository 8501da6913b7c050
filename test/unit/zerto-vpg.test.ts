import { strict as assert } from "node:assert";
import type { VpgInputs, VpgOutputs } from "../../provider/inputs.generated";
import { UNKNOWN } from "../../provider/state";
import { describeZertoError } from "../../provider/zerto/auth";
import { ZertoClient } from "../../provider/zerto/client";
import { taskIdOf } from "../../provider/zerto/tasks";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as net from "node:net";
import { ProtectionGapError } from "../../provider/protectionGap";
import { engineGone, IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler, crossCheck, definitionDifferences, diffVpg, stateMismatch } from "../../provider/zerto/vpg";
import { pendingTaskOf } from "../../provider/pendingId";
import { fromSettings, toSettings } from "../../provider/zerto/vpgSettings";
import { toOutputs } from "../../provider/zerto/summary";
import { protectionStateOf, statusName, subStatusName } from "../../provider/zerto/vpgStatus";
import { inputsOf, normalize, ZERO_GUID } from "../../provider/zerto/vpgDefinition";
import { withoutPreflight } from "../fixtures/preflight";

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const LOCAL_SITE = "0f3c9a52-7b1e-4d8a-9c6f-2e5d8b1a4c70";
const PEER_SITE = "c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f";
const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
const vmId = (n: number) => `${PROTECTED_VC}.vm-${n}`;

/** Inputs as `check` leaves them (schema defaults filled). */
function inputs(overrides: Partial<VpgInputs> = {}): VpgInputs {
  return {
    name: "web",
    recoverySiteId: PEER_SITE,
    rpoSeconds: 300,
    journalHistoryHours: 24,
    testIntervalMinutes: 262080,
    priority: "Medium",
    useWanCompression: true,
    keepRecoveryVolumesOnDelete: false,
    adoptExisting: false,
    recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
    networks: { failoverNetworkId: rid("network-1021") },
    vms: [{ vmId: vmId(101) }, { vmId: vmId(102) }],
    ...overrides,
  };
}

/** What a ZVM answers for a new draft (docs/api-notes/zerto.md#vpg-settings-defaults-of-a-new-draft), with per-VM data it materializes itself. */
function freshDraft(): Record<string, any> {
  const limits = (hard: number, warn: number) => ({
    Limitation: { HardLimitInMB: hard, HardLimitInPercent: 0, WarningThresholdInMB: warn, WarningThresholdInPercent: 0 },
    DatastoreIdentifier: null,
    DatastoreClusterIdentifier: null,
  });
  const network = () => ({ VCD: null, Hypervisor: { DefaultNetworkIdentifier: null }, PublicCloud: null });
  return {
    VpgIdentifier: null,
    VpgSettingsIdentifier: "11111111-2222-3333-4444-555555555555",
    Basic: {
      Name: null, VpgType: "Remote", RpoInSeconds: 300, TestIntervalInMinutes: 262080, JournalHistoryInHours: 24, Priority: "Medium",
      UseWanCompression: true, ServiceProfileIdentifier: null, ZorgIdentifier: null, ProtectedSiteIdentifier: LOCAL_SITE, RecoverySiteIdentifier: null,
    },
    Scripting: { PreRecovery: { Command: null, Parameters: null, TimeoutInSeconds: 300 }, PostRecovery: { Command: null, Parameters: null, TimeoutInSeconds: 300 }, PostBackup: null },
    BootGroups: { BootGroups: [{ BootGroupIdentifier: ZERO_GUID, Name: "Default", BootDelayInSeconds: 0 }] },
    Journal: limits(153600, 115200),
    Scratch: limits(307200, 230400),
    LongTermRetention: null,
    Recovery: {
      DefaultHostIdentifier: null, DefaultHostClusterIdentifier: null, DefaultDatastoreIdentifier: null, DefaultDatastoreClusterIdentifier: null,
      DefaultFolderIdentifier: null, ResourcePoolIdentifier: null, VCD: null, PublicCloud: null,
    },
    Networks: { Failover: network(), FailoverTest: network() },
    Vms: [],
    Protected: { VCD: null },
  };
}

/** The ZVM's view after a commit: what was PUT, with every VM's Journal, Volumes and NICs filled in. */
function committed(settings: Record<string, any>): Record<string, any> {
  const out = structuredClone(settings);
  for (const vm of out.Vms) {
    vm.Journal ??= structuredClone(out.Journal);
    vm.Volumes ??= [{ VolumeIdentifier: "scsi:0:0", Datastore: { DatastoreIdentifier: out.Recovery.DefaultDatastoreIdentifier, IsThin: true } }];
    vm.Nics ??= [{ NicIdentifier: "Network adapter 1" }];
  }
  return out;
}

const VPG = { VpgIdentifier: "0a6c62fb-81ff-4bb2-8aa2-938046db00fa", VpgName: "web", Status: 0, SubStatus: 2, ActualRPO: -1, ProtectedSite: { identifier: LOCAL_SITE } };

/** Outputs exactly as create produces them for `desired`. */
function outputsAfterCreate(desired: VpgInputs): VpgOutputs {
  return toOutputs(fromSettings(committed(toSettings(desired, freshDraft())), desired), VPG, desired);
}

describe("zerto VPG: normalize and diff", () => {
  it("reports no diff right after create", () => {
    const desired = inputs({
      bootGroups: [{ name: "db", bootDelaySeconds: 30 }],
      vms: [{ vmId: vmId(102), bootGroup: "db", recovery: { folderId: rid("group-v1070") } }, { vmId: vmId(101) }],
      journal: { hardLimitMb: 20000, warningThresholdMb: 10000 },
      scripting: { preRecovery: { command: "/opt/scripts/pre.sh", timeoutSeconds: 300 } },
      serviceProfileId: "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01",
    });
    const outs = outputsAfterCreate(desired);
    assert.deepEqual(diffVpg(outs, desired), { changes: false });
    assert.equal(outs.vpgId, VPG.VpgIdentifier);
    assert.equal(outs.status, "Initializing");
    assert.equal(outs.subStatus, "Creating");
    assert.equal(outs.resolvedProtectedSiteId, LOCAL_SITE);
    assert.equal(outs.actualRpoSeconds, -1);
  });

  it("reports the outputs' input part unchanged when read back with them as the declaration", () => {
    const desired = inputs({ journal: { hardLimitPercent: 50, warningThresholdPercent: 40 } });
    const outs = outputsAfterCreate(desired);
    const reread = toOutputs(fromSettings(committed(toSettings(desired, freshDraft())), outs), VPG, outs);
    assert.deepEqual(inputsOf(reread), inputsOf(outs));
  });

  it("leaves no undefined anywhere in the outputs", () => {
    const outs = outputsAfterCreate(inputs());
    const walk = (v: unknown): void => {
      assert.notEqual(v, undefined);
      if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(outs);
  });

  const mutable: Array<[string, Partial<VpgInputs>]> = [
    ["name", { name: "web-renamed" }],
    ["rpoSeconds", { rpoSeconds: 600 }],
    ["journalHistoryHours", { journalHistoryHours: 48 }],
    ["testIntervalMinutes", { testIntervalMinutes: 43200 }],
    ["priority", { priority: "High" }],
    ["useWanCompression", { useWanCompression: false }],
    ["serviceProfileId", { serviceProfileId: "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01" }],
    ["zorgId", { zorgId: "e5f7a9b1-3c5d-4e7f-9a1b-2c3d4e5f6a7b" }],
    ["recovery", { recovery: { hostId: rid("host-1011"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") } }],
    ["networks", { networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") } }],
    ["journal", { journal: { hardLimitMb: 20000 } }],
    ["bootGroups", { bootGroups: [{ name: "db", bootDelaySeconds: 10 }] }],
    ["scripting", { scripting: { postRecovery: { command: "/post.sh", timeoutSeconds: 300 } } }],
    ["keepRecoveryVolumesOnDelete", { keepRecoveryVolumesOnDelete: true }],
    ["vms", { vms: [{ vmId: vmId(101), recovery: { folderId: rid("group-v1071") } }, { vmId: vmId(102) }] }],
  ];
  for (const [field, change] of mutable) {
    it(`plans an update without replacement when ${field} changes`, () => {
      const outs = outputsAfterCreate(inputs());
      assert.deepEqual(diffVpg(outs, inputs(change)), { changes: true });
    });
  }

  const siteFields: Array<[string, Partial<VpgInputs>]> = [
    ["protectedSiteId", { protectedSiteId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }],
    ["recoverySiteId", { recoverySiteId: "3f2504e0-4f89-11d3-9a0c-0305e82c3301" }],
    ["profile", { profile: "dr-east" }],
  ];
  for (const [field, change] of siteFields) {
    it(`plans a delete-before-replace when ${field} changes, with allowProtectionGapOnReplace`, () => {
      const outs = outputsAfterCreate(inputs());
      assert.deepEqual(diffVpg(outs, inputs({ ...change, allowProtectionGapOnReplace: true })), { changes: true, replaces: [field], deleteBeforeReplace: true });
    });

    it(`refuses a change of ${field} without allowProtectionGapOnReplace, saying the VPG is deleted first`, () => {
      const outs = outputsAfterCreate(inputs());
      assert.throws(() => diffVpg(outs, inputs(change)), (err: Error) => err instanceof ProtectionGapError
        && new RegExp(`replaces it \\(${field} `).test(err.message) && /DELETES the protection FIRST/.test(err.message)
        && /allowProtectionGapOnReplace: true/.test(err.message) && /Nothing was changed/.test(err.message));
    });
  }

  it("plans an update that records allowProtectionGapOnReplace or failDriftOnUnhealthy, and nothing when they stay", () => {
    const outs = outputsAfterCreate(inputs());
    assert.deepEqual(diffVpg(outs, inputs({ allowProtectionGapOnReplace: true })), { changes: true });
    assert.deepEqual(diffVpg(outs, inputs({ failDriftOnUnhealthy: true })), { changes: true });
    assert.deepEqual(diffVpg(outputsAfterCreate(inputs({ failDriftOnUnhealthy: true })), inputs({ failDriftOnUnhealthy: true })), { changes: false });
  });

  it("plans an update, never a replace, when the ZVM reports another protectionState than the program expects", () => {
    const paused: VpgOutputs = { ...outputsAfterCreate(inputs()), protectionState: "paused" };
    assert.deepEqual(diffVpg(paused, inputs()), { changes: true });
    assert.deepEqual(diffVpg(paused, inputs({ protectionState: "paused" })), { changes: false });
    assert.match(stateMismatch(paused, inputs())!, /as paused .* the program expects protected.*does not delete or re-create/);
    assert.equal(stateMismatch(paused, inputs({ protectionState: "paused" })), undefined);
  });

  it("treats state recorded before protectionState existed as protected", () => {
    const { protectionState: _s, ...old } = outputsAfterCreate(inputs());
    assert.deepEqual(diffVpg(old as VpgOutputs, inputs()), { changes: false });
  });

  it("does not replace when protectedSiteId is absent and the ZVM resolved it to its local site", () => {
    const outs = outputsAfterCreate(inputs());
    assert.equal(outs.resolvedProtectedSiteId, LOCAL_SITE);
    assert.equal(diffVpg(outs, inputs()).changes, false);
    assert.equal(diffVpg(outs, inputs({ protectedSiteId: LOCAL_SITE })).changes, false);
  });

  it("never diffs on adoptExisting, which only matters at creation", () => {
    const outs = outputsAfterCreate(inputs());
    assert.deepEqual(diffVpg(outs, inputs({ adoptExisting: true })), { changes: false });
  });

  it("compares VMs as a set: their order does not matter", () => {
    const outs = outputsAfterCreate(inputs({ vms: [{ vmId: vmId(101) }, { vmId: vmId(102) }, { vmId: vmId(103) }] }));
    assert.equal(diffVpg(outs, inputs({ vms: [{ vmId: vmId(103) }, { vmId: vmId(101) }, { vmId: vmId(102) }] })).changes, false);
  });

  it("plans an update when a VM is added or removed", () => {
    const outs = outputsAfterCreate(inputs());
    assert.deepEqual(diffVpg(outs, inputs({ vms: [{ vmId: vmId(101) }, { vmId: vmId(102) }, { vmId: vmId(103) }] })), { changes: true });
    assert.deepEqual(diffVpg(outs, inputs({ vms: [{ vmId: vmId(101) }] })), { changes: true });
  });

  it("counts values unknown during preview as changes", () => {
    const outs = outputsAfterCreate(inputs());
    assert.deepEqual(diffVpg(outs, inputs({ rpoSeconds: UNKNOWN as any })), { changes: true });
    assert.deepEqual(diffVpg(outs, inputs({ vms: UNKNOWN as any })), { changes: true });
    assert.deepEqual(diffVpg(outs, inputs({ vms: [{ vmId: UNKNOWN }, { vmId: vmId(102) }] })), { changes: true });
    assert.deepEqual(diffVpg(outs, inputs({ recoverySiteId: UNKNOWN, allowProtectionGapOnReplace: true })), { changes: true, replaces: ["recoverySiteId"], deleteBeforeReplace: true });
    assert.throws(() => diffVpg(outs, inputs({ recoverySiteId: UNKNOWN })), (err: Error) => /recoverySiteId \S+ → \(known only at apply\)/.test(err.message));
  });

  it("does not report server-filled defaults as drift: journal limits, the Default boot group, per-VM placement", () => {
    const desired = inputs();
    const live = committed(toSettings(desired, freshDraft()));
    // the ZVM shows the VPG placement inside every VM, and its own journal limits
    assert.equal(live.Vms[0].Recovery.HostClusterIdentifier, rid("domain-c1001"));
    assert.equal(live.Journal.Limitation.HardLimitInMB, 153600);
    const view = fromSettings(live, desired);
    assert.deepEqual(view.vms, [{ vmId: vmId(101) }, { vmId: vmId(102) }]);
    assert.equal(view.journal, undefined);
    assert.equal(view.bootGroups, undefined);
  });

  it("treats an explicit bootGroup 'Default' like an absent one", () => {
    const outs = outputsAfterCreate(inputs());
    assert.equal(diffVpg(outs, inputs({ vms: [{ vmId: vmId(101), bootGroup: "Default" }, { vmId: vmId(102) }] })).changes, false);
    assert.equal(diffVpg(outs, inputs({ bootGroups: [{ name: "Default", bootDelaySeconds: 0 }] })).changes, false);
  });

  it("reports a per-VM override the user did not declare as drift (someone changed it out of band)", () => {
    const desired = inputs();
    const live = committed(toSettings(desired, freshDraft()));
    live.Vms[1].Recovery.FolderIdentifier = rid("group-v1072");
    const outs = toOutputs(fromSettings(live, desired), VPG, desired);
    assert.deepEqual(outs.vms[1], { vmId: vmId(102), recovery: { folderId: rid("group-v1072") } });
    assert.deepEqual(diffVpg(outs, desired), { changes: true });
  });

  it("reports a per-VM setting the user declared even when it equals the VPG's", () => {
    const desired = inputs({ vms: [{ vmId: vmId(101), recovery: { folderId: rid("group-v1003") } }, { vmId: vmId(102) }] });
    const outs = outputsAfterCreate(desired);
    assert.deepEqual(outs.vms[0], { vmId: vmId(101), recovery: { folderId: rid("group-v1003") } });
    assert.equal(diffVpg(outs, desired).changes, false);
  });

  it("plans an update when a declared optional id is removed, and the new settings clear it", () => {
    const before = inputs({ recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003"), resourcePoolId: rid("resgroup-1008") } });
    const outs = outputsAfterCreate(before);
    const after = inputs();
    assert.deepEqual(diffVpg(outs, after), { changes: true });
    assert.equal(toSettings(after, committed(toSettings(before, freshDraft()))).Recovery!.ResourcePoolIdentifier, null);
  });

  it("sorts VMs by vmId and drops empty sections when normalizing", () => {
    assert.deepEqual(normalize({ vms: [{ vmId: "b" }, { vmId: "a", recovery: {} }], scripting: {}, journal: {} } as any), { vms: [{ vmId: "a" }, { vmId: "b" }] });
  });
});

describe("zerto VPG: inputs to settings", () => {
  it("maps every input to its PascalCase field over what the ZVM returned", () => {
    const s: any = toSettings(inputs({
      rpoSeconds: 600, priority: "High", useWanCompression: false, zorgId: "e5f7a9b1-3c5d-4e7f-9a1b-2c3d4e5f6a7b",
      networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
      journal: { datastoreId: rid("datastore-1032"), hardLimitMb: 20000, warningThresholdMb: 10000 },
      scripting: { preRecovery: { command: "/pre.sh", parameters: "-v", timeoutSeconds: 60 } },
    }), freshDraft());
    assert.equal(s.Basic.Name, "web");
    assert.equal(s.Basic.RpoInSeconds, 600);
    assert.equal(s.Basic.Priority, "High");
    assert.equal(s.Basic.UseWanCompression, false);
    assert.equal(s.Basic.ZorgIdentifier, "e5f7a9b1-3c5d-4e7f-9a1b-2c3d4e5f6a7b");
    assert.equal(s.Basic.ProtectedSiteIdentifier, LOCAL_SITE, "kept from the ZVM when not declared");
    assert.equal(s.Basic.RecoverySiteIdentifier, PEER_SITE);
    assert.equal(s.Recovery.DefaultHostClusterIdentifier, rid("domain-c1001"));
    assert.equal(s.Recovery.DefaultHostIdentifier, null);
    assert.equal(s.Networks.FailoverTest.Hypervisor.DefaultNetworkIdentifier, rid("network-1022"));
    assert.deepEqual(s.Journal.Limitation, { HardLimitInMB: 20000, HardLimitInPercent: 0, WarningThresholdInMB: 10000, WarningThresholdInPercent: 0 });
    assert.equal(s.Journal.DatastoreIdentifier, rid("datastore-1032"));
    assert.deepEqual(s.Scripting.PreRecovery, { Command: "/pre.sh", Parameters: "-v", TimeoutInSeconds: 60 });
    assert.deepEqual(s.Scratch, freshDraft().Scratch, "sections the provider does not model are kept");
  });

  it("gives each VM the VPG placement, and a per-VM host replaces the VPG's host cluster", () => {
    const s: any = toSettings(inputs({ vms: [{ vmId: vmId(101), recovery: { hostId: rid("host-1012") } }] }), freshDraft());
    assert.deepEqual(s.Vms[0].Recovery, {
      HostIdentifier: rid("host-1012"), HostClusterIdentifier: null, DatastoreIdentifier: rid("datastore-1031"), DatastoreClusterIdentifier: null,
      FolderIdentifier: rid("group-v1003"), ResourcePoolIdentifier: null,
    });
    assert.equal(s.Vms[0].BootGroupIdentifier, ZERO_GUID);
  });

  it("keeps boot group ids the ZVM knows, makes new ones, and puts the Default group first when not declared", () => {
    const current = freshDraft();
    current.BootGroups.BootGroups.push({ BootGroupIdentifier: "aaaaaaaa-0000-0000-0000-000000000001", Name: "db", BootDelayInSeconds: 5 });
    const s: any = toSettings(inputs({ bootGroups: [{ name: "db", bootDelaySeconds: 30 }, { name: "app", bootDelaySeconds: 0 }], vms: [{ vmId: vmId(101), bootGroup: "app" }] }),
      current, () => "bbbbbbbb-0000-0000-0000-000000000002");
    assert.deepEqual(s.BootGroups.BootGroups, [
      { BootGroupIdentifier: ZERO_GUID, Name: "Default", BootDelayInSeconds: 0 },
      { BootGroupIdentifier: "aaaaaaaa-0000-0000-0000-000000000001", Name: "db", BootDelayInSeconds: 30 },
      { BootGroupIdentifier: "bbbbbbbb-0000-0000-0000-000000000002", Name: "app", BootDelayInSeconds: 0 },
    ]);
    assert.equal(s.Vms[0].BootGroupIdentifier, "bbbbbbbb-0000-0000-0000-000000000002");
  });

  it("keeps what the ZVM knows of a VM's volumes and NICs beyond what the provider manages", () => {
    const current = committed(toSettings(inputs(), freshDraft()));
    current.Vms[0].Volumes[0].VolumeSyncSettings = "ContinuousSync";
    current.Vms[0].Nics[0].Failover = { Hypervisor: { ShouldReplaceMacAddress: true }, VCD: null };
    const s: any = toSettings(inputs({ rpoSeconds: 900 }), current);
    assert.equal(s.Vms[0].Volumes[0].VolumeSyncSettings, "ContinuousSync");
    assert.equal(s.Vms[0].Volumes[0].Datastore.IsThin, true);
    assert.deepEqual(s.Vms[0].Nics[0].Failover, { Hypervisor: { ShouldReplaceMacAddress: true, NetworkIdentifier: rid("network-1021") }, VCD: null });
  });

  it("sends no volumes or NICs for a VM joining now with none declared: the ZVM fills them in", () => {
    const s: any = toSettings(inputs(), freshDraft());
    assert.equal(s.Vms[0].Volumes, undefined);
    assert.equal(s.Vms[0].Nics, undefined);
  });

  it("moves the NICs and volumes that follow a changed VPG default, and keeps declared overrides", () => {
    const declared = inputs({
      vms: [{
        vmId: vmId(101),
        nics: [{ nicId: "Network adapter 2", failover: { networkId: rid("network-1022") } }],
        volumes: [{ volumeId: "scsi:0:1", datastoreId: rid("datastore-1034") }],
      }],
    });
    const current = committed(toSettings(declared, freshDraft()));
    current.Vms[0].Nics = [{ NicIdentifier: "Network adapter 1", Failover: { Hypervisor: { NetworkIdentifier: rid("network-1021") } } }, ...current.Vms[0].Nics];
    current.Vms[0].Volumes = [{ VolumeIdentifier: "scsi:0:0", Datastore: { DatastoreIdentifier: rid("datastore-1031"), IsThin: true } }, ...current.Vms[0].Volumes];
    const s: any = toSettings({
      ...declared,
      recovery: { ...declared.recovery, datastoreId: rid("datastore-1032") },
      networks: { failoverNetworkId: rid("network-1023") },
    }, current);
    const [vm] = s.Vms;
    assert.deepEqual(vm.Nics.map((n: any) => [n.NicIdentifier, n.Failover.Hypervisor.NetworkIdentifier]),
      [["Network adapter 1", rid("network-1023")], ["Network adapter 2", rid("network-1022")]]);
    assert.deepEqual(vm.Volumes.map((v: any) => [v.VolumeIdentifier, v.Datastore.DatastoreIdentifier, v.Datastore.IsThin]),
      [["scsi:0:0", rid("datastore-1032"), true], ["scsi:0:1", rid("datastore-1034"), undefined]]);
    assert.equal(vm.Journal.DatastoreIdentifier, rid("datastore-1032"), "the VM's journal follows its recovery datastore");
  });

  it("compares a VM's NICs and volumes as sets, and reports only the re-IP fields the ZVM holds", () => {
    const declared = inputs({
      vms: [{
        vmId: vmId(101),
        nics: [
          { nicId: "Network adapter 2", failover: { ipConfig: { mode: "dhcp" } } },
          { nicId: "Network adapter 1", failover: { ipConfig: { mode: "static", ip: "10.0.0.5", subnetMask: "255.255.255.0" } } },
        ],
      }],
    });
    const settings = committed(toSettings(declared, freshDraft()));
    const read = fromSettings(settings, declared);
    assert.deepEqual([...read.vms[0].nics!].sort((x, y) => x.nicId.localeCompare(y.nicId)), [
      { nicId: "Network adapter 1", failover: { ipConfig: { mode: "static", ip: "10.0.0.5", subnetMask: "255.255.255.0" } } },
      { nicId: "Network adapter 2", failover: { ipConfig: { mode: "dhcp" } } },
    ]);
    assert.equal(diffVpg(toOutputs(read, VPG, declared), declared).changes, false);
  });

  it("clears a script that is no longer declared", () => {
    const current = toSettings(inputs({ scripting: { preRecovery: { command: "/pre.sh" } } }), freshDraft());
    assert.deepEqual(toSettings(inputs(), current).Scripting!.PreRecovery, { Command: null, Parameters: null, TimeoutInSeconds: 300 });
  });

  it("names statuses and sub-statuses", () => {
    assert.equal(statusName(1), "MeetingSLA");
    assert.equal(statusName(7), "Deleting");
    assert.equal(statusName(42), "42");
    assert.equal(subStatusName(9), "EmptyProtectionGroup");
    assert.equal(subStatusName(undefined), undefined);
  });

  it("derives the protectionState from Status/SubStatus (or their 10.x descriptions) and a running failover test", () => {
    assert.equal(protectionStateOf({ Status: 0, SubStatus: 2 }), "protected");
    assert.equal(protectionStateOf({ Status: 1, SubStatus: 25 }), "paused");
    assert.equal(protectionStateOf({ Status: 1, SubStatus: 26 }), "paused");
    assert.equal(protectionStateOf({ Status: 5, SubStatus: 15 }), "failingOver");
    assert.equal(protectionStateOf({ Status: 6, SubStatus: 19 }), "moving");
    assert.equal(protectionStateOf({ Status: 8, SubStatus: 0 }), "recovered");
    assert.equal(protectionStateOf({ Status: 7, SubStatus: 21 }), "deleting");
    assert.equal(protectionStateOf({ Status: 1, SubStatus: 0, ActiveProcessesApi: { RunningFailOverTestApi: { StartTime: "x" } } }), "protected");
    assert.equal(protectionStateOf({ StatusDescription: "Moving", Status: 99 }), "moving");
    // 3 and 4 are ordered differently between sources: both are "not meeting SLA", which counts only when asked
    for (const status of [2, 3, 4]) {
      assert.equal(protectionStateOf({ Status: status, SubStatus: 0 }), "protected");
      assert.equal(protectionStateOf({ Status: status, SubStatus: 0 }, true), "unhealthy");
    }
    assert.equal(protectionStateOf({ Status: 1, SubStatus: 0 }, true), "protected");
  });
});

describe("zerto VPG: check", () => {
  withoutPreflight();

  const handler = createVpgHandler(() => {
    throw new Error("check must not connect");
  });

  it("accepts a VM in a declared boot group or in Default", async () => {
    const { failures } = await handler.check({}, inputs({
      bootGroups: [{ name: "db" }],
      vms: [{ vmId: vmId(101), bootGroup: "db" }, { vmId: vmId(102), bootGroup: "Default" }],
    }));
    assert.deepEqual(failures, []);
  });

  it("rejects a VM whose bootGroup names no declared group, naming the property and the rule", async () => {
    const { failures } = await handler.check({}, inputs({ bootGroups: [{ name: "db" }], vms: [{ vmId: vmId(101) }, { vmId: vmId(102), bootGroup: "dbs" }] }));
    assert.deepEqual(failures, [{
      property: "vms[1].bootGroup",
      reason: "Vpg: vms[1].bootGroup must name one of bootGroups or \"Default\" (declared: 'Default', 'db') [rule: boot group reference]",
    }]);
  });

  it("does not judge a boot group reference while the groups are unknown", () => {
    assert.deepEqual(crossCheck(inputs({ bootGroups: UNKNOWN as any, vms: [{ vmId: vmId(101), bootGroup: "db" }] })), []);
    assert.deepEqual(crossCheck(inputs({ vms: [{ vmId: vmId(101), bootGroup: UNKNOWN }] })), []);
  });

  it("rejects a recovery site equal to the protected site", () => {
    const failures = crossCheck(inputs({ protectedSiteId: PEER_SITE }));
    assert.deepEqual(failures.map((f) => f.property), ["recoverySiteId"]);
    assert.match(failures[0].reason, /must differ from protectedSiteId/);
  });

  it("reports schema rules with the property path and fills defaults", async () => {
    const { inputs: checked, failures } = await handler.check({}, { ...inputs(), rpoSeconds: 10, bootGroups: [{ name: "db" }] });
    assert.deepEqual(failures!.map((f) => f.property), ["rpoSeconds"]);
    assert.match(failures![0].reason, /rpoSeconds/);
    assert.equal(checked!.bootGroups![0].bootDelaySeconds, 0);
  });
});

describe("zerto VPG: update of state-only inputs", () => {
  it("changes keepRecoveryVolumesOnDelete without calling the ZVM", async () => {
    const calls: string[] = [];
    const client = new Proxy({}, { get: (_t, name) => () => { calls.push(String(name)); throw new Error("no ZVM call expected"); } }) as ZertoClient;
    const handler = createVpgHandler(() => client);
    const outs = outputsAfterCreate(inputs());
    const { outs: updated } = await handler.update(VPG.VpgIdentifier, outs, inputs({ keepRecoveryVolumesOnDelete: true }));
    assert.equal(updated.keepRecoveryVolumesOnDelete, true);
    assert.equal(updated.vpgId, VPG.VpgIdentifier);
    assert.deepEqual(calls, []);
  });
});

describe("zerto VPG: ownership helpers", () => {
  it("lists each difference of a live VPG as a reviewer reads it, live → declared", () => {
    const live = outputsAfterCreate(inputs({ rpoSeconds: 600, vms: [{ vmId: vmId(105) }] }));
    assert.deepEqual(definitionDifferences(live, inputs({ rpoSeconds: 900, vms: [{ vmId: vmId(109) }] })),
      [`vms −${vmId(105)} +${vmId(109)}`, "rpoSeconds 600 → 900"]);
    assert.deepEqual(definitionDifferences(live, inputs({ rpoSeconds: 600, vms: [{ vmId: vmId(105) }], adoptExisting: true })), []);
  });

  it("tells a pending create's id from a VPG id", () => {
    assert.equal(pendingTaskOf("pending-create-task:abc.site"), "abc.site");
    assert.equal(pendingTaskOf("3f2a…"), undefined);
  });

  it("a create still pending in the stack diffs as a change, so the next up settles it and records the VPG id", async () => {
    const handler = createVpgHandler(() => {
      throw new Error("diff must not connect");
    });
    const pending = inputs() as VpgOutputs;
    assert.equal((await handler.diff("pending-create-task:t-1", pending, inputs())).changes, true);
    const settled = { ...pending, vpgId: VPG.VpgIdentifier };
    assert.equal((await handler.diff("pending-create-task:t-1", settled, inputs())).changes, false, "settled: the id follows on refresh");
  });

  it("keeps one intent record per endpoint and identity, whatever the VM order", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-"));
    try {
      const store = new IntentStore(dir);
      const identity = { name: "web", vms: [vmId(101), vmId(102)], recoverySiteId: PEER_SITE };
      store.write({ endpoint: "https://zvm:9669/", identity, draftId: "d1", recordedAt: "now" });
      assert.equal(store.read("https://ZVM:9669", { ...identity, vms: [vmId(102), vmId(101)] })?.draftId, "d1");
      assert.equal(store.read("https://zvm:9669", { ...identity, vms: [vmId(101)] }), undefined, "another VM set is another intent");
      store.remove("https://zvm:9669", identity);
      assert.equal(store.read("https://zvm:9669", identity), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("zerto VPG: is the engine that asked still there?", () => {
  const host = (address: string) => ["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", address];

  it("says gone when the engine's address refuses connections (kill -9 of the CLI)", async () => {
    const server = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const port = (server.address() as net.AddressInfo).port;
    assert.equal(await engineGone(host(`127.0.0.1:${port}`)), false);
    await new Promise((resolve) => server.close(resolve));
    assert.equal(await engineGone(host(`127.0.0.1:${port}`)), true);
  });

  it("never says gone outside the dynamic-provider host", async () => {
    assert.equal(await engineGone(["node", "mocha", "127.0.0.1:1"]), false);
  });
});

describe("zerto client: pure helpers", () => {
  it("extracts the ZVM's message and strips zvml's wrapper", () => {
    assert.equal(describeZertoError(400, { Message: "Exception occurred in API: VM x was not found;" }), "VM x was not found");
    assert.equal(describeZertoError(500, { Message: "Valid License is not provided " }), "Valid License is not provided");
    assert.equal(describeZertoError(401, { error: "invalid_grant", error_description: "Invalid user credentials" }), "Invalid user credentials");
    assert.equal(describeZertoError(502, undefined), undefined);
  });

  it("reads a task id from a bare string or a task object", () => {
    assert.equal(taskIdOf("abc.def"), "abc.def");
    assert.equal(taskIdOf({ Link: { identifier: "t1" } }), "t1");
    assert.throws(() => taskIdOf({}), /expected a task identifier/);
  });
});
