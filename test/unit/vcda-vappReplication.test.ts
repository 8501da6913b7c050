import assert from "node:assert/strict";
import type { VappReplicationInputs } from "../../provider/inputs.generated";
import type { VcdaReplication, VcdaVappReplication } from "../../provider/vcda/models";
import { ProtectionGapError } from "../../provider/protectionGap";
import { createVappReplicationHandler, vappReplicationSpec, vappReplicationState } from "../../provider/vcda/vappReplication";
import { withoutPreflight } from "../fixtures/preflight";

const handler = createVappReplicationHandler(() => assert.fail("check and diff must not reach VCDA"));
const VAPP = "50a8d806-8078-4ab6-a545-4ca2b2bf878e";
const VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
const ID = "C4VAPP-2f0c3c9e-2f7c-4f25-9e53-0f7e0f0c1a01";
const BASE = { source: { type: "vapp", site: "cloud-east", vappId: VAPP }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 15 };

async function checked(news: object): Promise<VappReplicationInputs> {
  const result = await handler.check({}, news as VappReplicationInputs);
  assert.deepEqual(result.failures, []);
  return result.inputs!;
}

function vmFor(inputs: VappReplicationInputs, n: number, changes: Partial<VcdaReplication> = {}): VcdaReplication {
  return {
    id: `C4-0000000${n}-0000-4000-8000-000000000000`, owner: "root@System", vmId: `vm-${n}`, vmName: `acme-web-0${n}`,
    source: { site: inputs.source.site, org: "org-acme" },
    destination: { site: inputs.destination.site, org: "org-acme", vdcId: inputs.destination.vdc },
    storageProfile: inputs.destination.storageProfile ?? "*",
    settings: {
      description: inputs.description ?? "", rpo: inputs.rpo ?? 15, dataConnectionType: inputs.dataConnectionType ?? "ENCRYPTED_COMPRESSED",
      quiesced: inputs.quiesced ?? true, retentionPolicy: inputs.retentionPolicy ?? { rules: [{ numberOfInstances: 1, distance: 15 }] },
      initialSyncTime: 0, excludedDiskKeys: [],
    },
    destinationState: { recoveryInfo: { recoveryState: "NOT_STARTED" }, currentRpoViolation: -1, latestInstance: { key: `replica-${n}`, sequenceNumber: 1, timestamp: 1700000000000 } },
    dataConnectionState: "OK", overallHealth: "GREEN", isReversed: false, isMigration: false, slaProfile: null,
    ...changes,
  };
}

function liveFor(inputs: VappReplicationInputs, vms?: VcdaReplication[]): VcdaVappReplication {
  return {
    id: ID, owner: "root@System",
    source: { site: inputs.source.site, org: "org-acme", vappId: inputs.source.vappId, vappName: "acme-web" },
    destination: { site: inputs.destination.site, org: "org-acme", vdcId: inputs.destination.vdc },
    storageProfile: inputs.destination.storageProfile ?? "*", isMigration: false,
    vmReplications: vms ?? [vmFor(inputs, 1), vmFor(inputs, 2)],
  };
}

describe("VCDA VappReplication: check", () => {
  withoutPreflight();
  it("accepts a cloud vApp to a cloud vDC and fills VCDA's custom defaults", async () => {
    const inputs = await checked(BASE);
    assert.equal(inputs.dataConnectionType, "ENCRYPTED_COMPRESSED");
    assert.equal(inputs.quiesced, true);
    assert.equal(inputs.targetDiskType, "THIN");
  });

  for (const [what, news, property] of [
    ["a vApp id that is no GUID", { ...BASE, source: { ...BASE.source, vappId: "acme-web" } }, "source.vappId"],
    ["a VM source type", { ...BASE, source: { ...BASE.source, type: "vm" } }, "source.type"],
    ["an on-premises destination", { ...BASE, destination: { type: "vc", site: "onprem-dc1" } }, "destination"],
    ["no RPO and no SLA profile", { ...BASE, rpo: undefined }, ""],
  ] as const) {
    it(`refuses ${what}, naming the property`, async () => {
      const result = await handler.check({}, news as unknown as VappReplicationInputs);
      assert.ok(result.failures && result.failures.length > 0);
      assert.ok(result.failures.some((f: { property: string }) => f.property.startsWith(property)), JSON.stringify(result.failures));
    });
  }
});

describe("VCDA VappReplication: diff and outputs", () => {
  withoutPreflight();
  it("shows no changes after create, nor when instances and RPO violations move on", async () => {
    const inputs = await checked(BASE);
    const olds = vappReplicationState(liveFor(inputs), inputs);
    assert.equal((await handler.diff!(ID, olds, inputs)).changes, false);
    const later = vappReplicationState(liveFor(inputs, [vmFor(inputs, 1, { destinationState: { recoveryInfo: { recoveryState: "NOT_STARTED" }, currentRpoViolation: 20, latestInstance: { key: "replica-7", sequenceNumber: 7, timestamp: 1 } } }), vmFor(inputs, 2)]), inputs);
    assert.equal((await handler.diff!(ID, later, inputs)).changes, false);
    assert.equal(later.currentRpoViolation, 20);
  });

  it("reports each VM's latest instance and RPO violation and the vApp's worst health", async () => {
    const inputs = await checked(BASE);
    const state = vappReplicationState(liveFor(inputs, [vmFor(inputs, 1), vmFor(inputs, 2, { overallHealth: "YELLOW" })]), inputs);
    assert.equal(state.replicationId, ID);
    assert.equal(state.vappName, "acme-web");
    assert.equal(state.overallHealth, "YELLOW");
    assert.equal(state.currentRpoViolation, -1);
    assert.deepEqual(state.vms?.map((vm) => vm.latestInstance?.key), ["replica-1", "replica-2"]);
    assert.equal(state.drift, null);
  });

  it("updates settings and sourceReconfigure in place; source and destination replace (guarded)", async () => {
    const inputs = await checked(BASE);
    const olds = vappReplicationState(liveFor(inputs), inputs);
    const update = await handler.diff!(ID, olds, { ...inputs, rpo: 30, sourceReconfigure: { type: "vcVappReconfigure", vappName: "acme-web-dr" } });
    assert.ok(update.changes);
    assert.deepEqual(update.replaces ?? [], []);
    await assert.rejects(async () => handler.diff!(ID, olds, { ...inputs, destination: { ...inputs.destination, vdc: "0ef14e96-87f0-418f-9c33-9a8ee787d562" } }), ProtectionGapError);
    const replace = await handler.diff!(ID, olds, { ...inputs, destination: { ...inputs.destination, vdc: "0ef14e96-87f0-418f-9c33-9a8ee787d562" }, allowProtectionGapOnReplace: true });
    assert.deepEqual(replace.replaces, ["destination.vdc"]);
  });

  it("a VM failed over outside Pulumi is drift: no replace is planned", async () => {
    const inputs = await checked(BASE);
    const failedOver = vmFor(inputs, 1, { destinationState: { recoveryInfo: { recoveryState: "COMPLETE" } } });
    const state = vappReplicationState(liveFor(inputs, [failedOver, vmFor(inputs, 2)]), inputs);
    assert.match(state.drift ?? "", /failed over/);
    assert.equal(state.replicationState, "failedOver");
    const diff = await handler.diff!(ID, state, { ...inputs, destination: { ...inputs.destination, vdc: "0ef14e96-87f0-418f-9c33-9a8ee787d562" } });
    assert.deepEqual(diff.replaces ?? [], []);
  });

  it("POSTs the vApp as source with the VM replication settings", async () => {
    const inputs = await checked({ ...BASE, description: "web tier" });
    assert.deepEqual(vappReplicationSpec(inputs), {
      source: { type: "vapp", site: "cloud-east", vappId: VAPP },
      destination: { type: "vcloud", site: "cloud-west", vdc: VDC },
      description: "web tier", rpo: 15, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, targetDiskType: "THIN", isMigration: false,
    });
  });
});
