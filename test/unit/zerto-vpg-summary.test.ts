import { strict as assert } from "node:assert";
import type { VpgOutputs } from "../../provider/inputs.generated";
import type { ZertoVpg } from "../../provider/zerto/models";
import { fromSummary, withProtectedVms } from "../../provider/zerto/summary";
import { changedKeys, inputsOf, STATE_ONLY_INPUTS } from "../../provider/zerto/vpgDefinition";

const SITE_A = "0f3c9a52-7b1e-4d8a-9c6f-2e5d8b1a4c70";
const SITE_B = "c2d8e4f6-1a3b-4c5d-9e7f-8a0b1c2d3e4f";
const PROFILE = "6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const vm = (n: number) => `5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81.vm-${n}`;

/** Outputs as a create records them. */
const recorded: VpgOutputs = {
  name: "web", recoverySiteId: SITE_B, rpoSeconds: 300, journalHistoryHours: 24, testIntervalMinutes: 262080, priority: "Medium",
  useWanCompression: true, recovery: { datastoreId: "ds-1", folderId: "folder-1" }, networks: { failoverNetworkId: "net-1" },
  vms: [{ vmId: vm(101) }, { vmId: vm(102), bootGroup: "db" }], bootGroups: [{ name: "db", bootDelaySeconds: 30 }],
  protectionState: "protected", vpgId: "v-1", status: "MeetingSLA", subStatus: "None", resolvedProtectedSiteId: SITE_A, actualRpoSeconds: 7,
};

/** GET /v1/vpgs/{id} as the ZVM sends it (PascalCase), for `recorded` unchanged. */
function summary(overrides: Partial<ZertoVpg> = {}): ZertoVpg {
  return {
    VpgIdentifier: "v-1", VpgName: "web", Status: 1, SubStatus: 0, ActualRPO: 7, ConfiguredRpoSeconds: 300, Priority: 1,
    HistoryStatusApi: { ConfiguredHistoryInMinutes: 1440 }, ProtectedSite: { identifier: SITE_A }, RecoverySite: { identifier: SITE_B },
    ServiceProfileIdentifier: null, ServiceProfile: null, Zorg: { identifier: "00000000-0000-0000-0000-000000000000" }, LastTest: null,
    ...overrides,
  };
}

const rows = (...ids: string[]) => ids.map((id, i) => ({ VmIdentifier: id, VmName: `web-0${i + 1}`, VpgIdentifier: "v-1", Status: 1, SubStatus: 0, ActualRPO: 7, JournalUsedStorageMb: 12, LastTest: null }));

describe("zerto VPG: the read-only summary", () => {
  it("reads back the recorded definition unchanged when nothing changed out of band", () => {
    assert.deepEqual(fromSummary(recorded, summary(), rows(vm(101), vm(102))), { ...inputsOf(recorded), protectedSiteId: SITE_A });
    assert.deepEqual(changedKeys(fromSummary(recorded, summary(), rows(vm(102), vm(101))), inputsOf(recorded), [...STATE_ONLY_INPUTS]), []);
  });

  it("shows what the summary carries: name, sites, RPO, history, priority, service profile, ZORG and VM membership", () => {
    const live = fromSummary(recorded, summary({
      VpgName: "web2", ConfiguredRpoSeconds: 600, Priority: 2, HistoryStatusApi: { ConfiguredHistoryInMinutes: 2880 },
      ServiceProfile: { identifier: PROFILE }, Zorg: { identifier: "zorg-1" }, RecoverySite: { identifier: SITE_A },
    }), rows(vm(102), vm(103)));
    assert.deepEqual(changedKeys(live, inputsOf(recorded), [...STATE_ONLY_INPUTS]).sort(),
      ["journalHistoryHours", "name", "priority", "recoverySiteId", "rpoSeconds", "serviceProfileId", "vms", "zorgId"]);
    assert.deepEqual(live.vms, [{ vmId: vm(102), bootGroup: "db" }, { vmId: vm(103) }], "a VM still protected keeps its recorded settings");
    assert.equal(live.serviceProfileId, PROFILE);
    assert.equal(live.journalHistoryHours, 48);
  });

  it("keeps what the summary cannot show (placement, networks, boot groups, WAN compression, test interval) as recorded", () => {
    const live = fromSummary(recorded, summary(), rows(vm(101), vm(102)));
    for (const key of ["recovery", "networks", "bootGroups", "useWanCompression", "testIntervalMinutes"] as const) assert.deepEqual(live[key], recorded[key]);
  });

  it("keeps a recorded value when a ZVM leaves a summary field out", () => {
    const live = fromSummary(recorded, { VpgIdentifier: "v-1", VpgName: "web", RecoverySite: { identifier: SITE_B } }, rows(vm(101), vm(102)));
    assert.deepEqual([live.rpoSeconds, live.journalHistoryHours, live.priority], [300, 24, "Medium"]);
  });

  it("reports each protected VM, sorted by id, and the VPG's last test", () => {
    const outs = withProtectedVms(recorded, summary({ LastTest: "2026-11-20T10:00:00Z" }), rows(vm(102), vm(101)).reverse());
    assert.equal(outs.lastTest, "2026-11-20T10:00:00Z");
    assert.deepEqual(outs.protectedVms!.map((v) => v.vmId), [vm(101), vm(102)]);
    assert.deepEqual(outs.protectedVms![0], { vmId: vm(101), name: "web-02", status: "MeetingSLA", subStatus: "None", actualRpoSeconds: 7, journalUsedMb: 12, lastTest: null });
    assert.equal(withProtectedVms(recorded, summary(), null).protectedVms, null);
  });
});
