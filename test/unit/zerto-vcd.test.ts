import { strict as assert } from "node:assert";
import type { VpgInputs } from "../../provider/inputs.generated";
import { createVpgHandler, diffVpg } from "../../provider/zerto/vpg";
import { fromSettings, toSettings } from "../../provider/zerto/vpgSettings";
import { toOutputs } from "../../provider/zerto/summary";
import { ZERO_GUID } from "../../provider/zerto/vpgDefinition";
import { withoutPreflight } from "../fixtures/preflight";
import { ACME_DMZ_NET, ACME_GOLD, ACME_PROD_NET, ACME_SILVER, ACME_TEST_NET, ACME_VDC, PROTECTED_NET, vcdVpg, VCD_SITE } from "../fixtures/vcd";

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const LOCAL_SITE = "0f3c9a52-7b1e-4d8a-9c6f-2e5d8b1a4c70";
const vmId = (n: number) => `${PROTECTED_VC}.vm-${n}`;
const VPG = { VpgIdentifier: "0a6c62fb-81ff-4bb2-8aa2-938046db00fa", VpgName: "web-cloud", Status: 0, SubStatus: 2, ActualRPO: -1 };

/** A vCD-target VPG as `check` leaves it (schema defaults filled). */
function inputs(overrides: Partial<VpgInputs> = {}): VpgInputs {
  return {
    rpoSeconds: 300, journalHistoryHours: 24, testIntervalMinutes: 262080, priority: "Medium", useWanCompression: true,
    keepRecoveryVolumesOnDelete: false, adoptExisting: false,
    ...(vcdVpg([vmId(101), vmId(102)]) as VpgInputs),
    ...overrides,
  };
}

/** A new draft as the ZVM answers it (docs/api-notes/zerto.md#vpg-settings-defaults-of-a-new-draft): every VCD block null. */
function freshDraft(): Record<string, any> {
  const network = () => ({ VCD: null, Hypervisor: { DefaultNetworkIdentifier: null }, PublicCloud: null });
  return {
    VpgIdentifier: null,
    Basic: { Name: null, RpoInSeconds: 300, TestIntervalInMinutes: 262080, JournalHistoryInHours: 24, Priority: "Medium", UseWanCompression: true, ProtectedSiteIdentifier: LOCAL_SITE },
    BootGroups: { BootGroups: [{ BootGroupIdentifier: ZERO_GUID, Name: "Default", BootDelayInSeconds: 0 }] },
    Journal: { Limitation: {}, DatastoreIdentifier: null },
    Recovery: { VCD: null, PublicCloud: null },
    Networks: { Failover: network(), FailoverTest: network() },
    Vms: [],
  };
}

/** The ZVM after a commit: what was PUT, with every VCD field it fills in itself (NICs connected, guest customization off). */
function committed(settings: Record<string, any>): Record<string, any> {
  const out = structuredClone(settings);
  out.Networks.FailoverTest.VCD.IsEnableGuestCustomization = false;
  for (const vm of out.Vms) {
    vm.Nics = [...(vm.Nics ?? []), { NicIdentifier: "Network adapter 2", Failover: { VCD: { IsConnected: true, RecoveryOrgVdcNetworkIdentifier: ACME_PROD_NET } }, FailoverTest: { VCD: null } }];
    for (const nic of vm.Nics) if (nic.Failover?.VCD) nic.Failover.VCD.IsPrimary = true;
  }
  return out;
}

describe("zerto VPG recovering into Cloud Director: settings and diff", () => {
  it("puts the org vDC, both network blocks, each VM's storage policy and its declared NICs into the settings", () => {
    const settings: any = toSettings(inputs(), freshDraft());
    assert.deepEqual(settings.Recovery.VCD, { OrgVdcIdentifier: ACME_VDC });
    assert.equal(settings.Recovery.DefaultFolderIdentifier, null);
    assert.deepEqual(settings.Networks.Failover.VCD, {
      DefaultRecoveryOrgVdcNetworkIdentifier: ACME_PROD_NET, IsEnableGuestCustomization: true, CopyNATRules: null,
      Mapping: [{ ProtectedOrgVdcNetworkIdentifier: PROTECTED_NET, RecoveryOrgVdcNetworkIdentifier: ACME_PROD_NET, ReverseTestOrgVdcNetworkIdentifier: null }],
    });
    assert.equal(settings.Networks.FailoverTest.VCD.DefaultRecoveryOrgVdcNetworkIdentifier, ACME_TEST_NET);
    assert.equal(settings.Networks.Failover.Hypervisor.DefaultNetworkIdentifier, null);
    assert.equal(settings.Journal.DatastoreIdentifier, null);
    const [first, second] = settings.Vms;
    assert.deepEqual(first.Recovery.VCD, { StoragePolicyIdentifier: ACME_GOLD });
    assert.deepEqual(second.Recovery.VCD, { StoragePolicyIdentifier: ACME_SILVER });
    assert.deepEqual(first.Nics, [{
      NicIdentifier: "Network adapter 1",
      Failover: { VCD: { RecoveryOrgVdcNetworkIdentifier: ACME_DMZ_NET, IpMode: "MANUAL", IpAddress: "192.168.50.11", IsPrimary: null, IsConnected: true, IsResetMacAddress: null } },
      FailoverTest: { VCD: null },
    }]);
    assert.equal(second.Nics, undefined, "a VM without declared NICs sends none");
  });

  it("reads back exactly the declared values, so create, refresh and preview show no diff", () => {
    const desired = inputs();
    const outs = toOutputs(fromSettings(committed(toSettings(desired, freshDraft())), desired), VPG, desired);
    assert.deepEqual(outs.recovery, { vcd: { orgVdcId: ACME_VDC } });
    assert.deepEqual(outs.networks, desired.networks);
    assert.deepEqual(outs.vms, desired.vms);
    assert.deepEqual(diffVpg(outs, desired), { changes: false });
    const refreshed = toOutputs(fromSettings(committed(toSettings(desired, freshDraft())), outs), VPG, outs);
    assert.deepEqual(refreshed, outs);
  });

  it("plans an in-place update, not a replace, when a network mapping changes", () => {
    const desired = inputs();
    const outs = toOutputs(fromSettings(committed(toSettings(desired, freshDraft())), desired), VPG, desired);
    const remapped = inputs({
      networks: { ...desired.networks, failover: { vcd: { ...desired.networks.failover!.vcd, mappings: [{ protectedOrgVdcNetworkId: PROTECTED_NET, recoveryOrgVdcNetworkId: ACME_DMZ_NET }] } } },
    });
    const diff = diffVpg(outs, remapped);
    assert.deepEqual([diff.changes, diff.replaces], [true, undefined]);
  });

  it("leaves the VCD blocks of a vSphere-target VPG as the ZVM has them", () => {
    const draft = freshDraft();
    draft.Recovery.VCD = { OrgVdcIdentifier: "kept" };
    const vsphere = inputs({ recovery: { hostClusterId: `${PROTECTED_VC}.domain-c7`, folderId: `${PROTECTED_VC}.group-v3` }, networks: { failoverNetworkId: `${PROTECTED_VC}.network-20` }, vms: [{ vmId: vmId(101) }] });
    assert.deepEqual(toSettings(vsphere, draft).Recovery!.VCD, { OrgVdcIdentifier: "kept" });
  });
});

describe("zerto VPG recovering into Cloud Director: check", () => {
  withoutPreflight();
  const handler = createVpgHandler(() => {
    throw new Error("check must not connect");
  });
  const reasons = async (news: unknown) => ((await handler.check({}, news as VpgInputs)).failures ?? []).map((f) => f.reason);
  const base = () => vcdVpg([vmId(101), vmId(102)]) as VpgInputs;

  it("accepts a VPG with an org vDC, Cloud Director networks and no vSphere placement", async () => {
    assert.deepEqual(await reasons(base()), []);
  });

  it("refuses vSphere placement beside recovery.vcd, naming recovery", async () => {
    assert.deepEqual(await reasons({ ...base(), recovery: { vcd: { orgVdcId: ACME_VDC }, folderId: `${PROTECTED_VC}.group-v3` } }), [
      "Vpg: recovery must not set hostId, hostClusterId, datastoreId, datastoreClusterId, folderId or resourcePoolId beside vcd: a Cloud Director recovery site places VMs in the org vDC [rule: mutually exclusive]",
    ]);
  });

  it("refuses a vSphere failover network beside the Cloud Director ones, naming networks", async () => {
    const news = base();
    assert.deepEqual(await reasons({ ...news, networks: { ...news.networks, failoverNetworkId: `${PROTECTED_VC}.network-20` } }), [
      "Vpg: networks must not set failoverNetworkId or failoverTestNetworkId beside failover or failoverTest: the vSphere networks and the Cloud Director ones exclude each other [rule: mutually exclusive]",
    ]);
  });

  it("refuses recovery.vcd without an org vDC and a NIC with a malformed IP address, naming each", async () => {
    const news = base();
    news.recovery = { vcd: {} } as VpgInputs["recovery"];
    news.vms[0].vcdNics![0].failover!.ipAddress = "192.168.50";
    assert.deepEqual(await reasons(news), [
      "Vpg: recovery.vcd.orgVdcId is required [rule: required]",
      "Vpg: vms[0].vcdNics[0].failover.ipAddress must be an IPv4 address such as 192.168.10.5 [rule: pattern]",
    ]);
  });

  it("refuses a Cloud Director VPG without failover networks, a VM without a storage policy, a journal datastore and per-VM vSphere placement", async () => {
    const news = base();
    news.networks = { failoverTest: news.networks.failoverTest };
    news.journal = { datastoreId: `${PROTECTED_VC}.datastore-40` };
    news.vms[1] = { vmId: vmId(102), recovery: { folderId: `${PROTECTED_VC}.group-v3` } };
    assert.deepEqual(await reasons(news), [
      "Vpg: networks.failover is required when recovery.vcd names an org vDC (set failover.vcd instead of failoverNetworkId) [rule: Cloud Director target]",
      "Vpg: journal.datastoreId must not be set when recovery.vcd is set: the ZVM places the journal in the org vDC [rule: Cloud Director target]",
      "Vpg: vms[1].recovery must not set folderId when recovery.vcd is set: a Cloud Director site takes only recovery.vcd per VM [rule: Cloud Director target]",
      "Vpg: vms[1].recovery.vcd is required when recovery.vcd is set: the ZVM needs each VM's storage policy [rule: Cloud Director target]",
    ]);
  });

  it("refuses Cloud Director values on a vSphere-target VPG, naming each", async () => {
    const news = base();
    assert.deepEqual(await reasons({
      ...news,
      recoverySiteId: VCD_SITE,
      recovery: { hostClusterId: `${PROTECTED_VC}.domain-c7`, folderId: `${PROTECTED_VC}.group-v3` },
      networks: { failoverNetworkId: `${PROTECTED_VC}.network-20` },
      vms: news.vms,
    }), [
      "Vpg: vms[0].recovery.vcd needs recovery.vcd at the VPG level [rule: Cloud Director target]",
      "Vpg: vms[0].vcdNics needs recovery.vcd at the VPG level [rule: Cloud Director target]",
      "Vpg: vms[1].recovery.vcd needs recovery.vcd at the VPG level [rule: Cloud Director target]",
    ]);
  });
});
