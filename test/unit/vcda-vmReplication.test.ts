import assert from "node:assert/strict";
import type { VmReplicationInputs, VmReplicationOutputs } from "../../provider/inputs.generated";
import type { VcdaReplication } from "../../provider/vcda/models";
import { UNKNOWN } from "../../provider/state";
import { ProtectionGapError } from "../../provider/protectionGap";
import {
  createVmReplicationHandler, diffVmReplication, driftOf, observedReplicationState, reconfigureSpec, replicationInputsOf, replicationSpec,
  replicationState, replicationStateMismatch,
} from "../../provider/vcda/vmReplication";
import { withoutPreflight } from "../fixtures/preflight";

const handler = createVmReplicationHandler(() => assert.fail("check and diff must not reach VCDA"));
const VM = "fb3b5c4c-a03c-4a4f-819e-93a54184b142";
const VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
const GOLD_SLA = "5df81cec-8e36-4ab7-8ca1-bc28aa166e6a";
const ID = "C4-0d0a2b6e-1c53-4c4e-8f0e-3a6b1b1f2c3d";

const program = {
  source: { type: "vm", site: "cloud-east", vmId: VM },
  destination: { type: "vcloud", site: "cloud-west", vdc: VDC, storageProfile: "*" },
  description: "web",
  rpo: 30,
};

async function checked(news: object): Promise<VmReplicationInputs> {
  const { inputs, failures } = await handler.check({}, news as VmReplicationInputs);
  assert.deepEqual(failures, []);
  return inputs!;
}

/** The VmReplication VCDA would report for these inputs (the fields the provider reads). */
function liveFor(inputs: VmReplicationInputs, changes: Partial<VcdaReplication> = {}): VcdaReplication {
  return {
    id: ID,
    owner: "root@System",
    vmId: inputs.source.vmId,
    vmName: "acme-web-01",
    source: { site: inputs.source.site, org: "org-acme" },
    destination: { site: inputs.destination.site, org: "org-acme", vdcId: inputs.destination.vdc ?? null },
    storageProfile: inputs.destination.storageProfile ?? "*",
    settings: {
      description: inputs.description ?? "",
      rpo: inputs.rpo ?? 15,
      dataConnectionType: inputs.dataConnectionType ?? "ENCRYPTED_COMPRESSED",
      quiesced: inputs.quiesced ?? true,
      retentionPolicy: inputs.retentionPolicy ?? { rules: [{ numberOfInstances: 1, distance: inputs.rpo ?? 15 }] },
      initialSyncTime: 0,
      excludedDiskKeys: [...(inputs.source.excludedDisks ?? [])].sort(),
    },
    destinationState: { recoveryInfo: { recoveryState: "NOT_STARTED" } },
    dataConnectionState: "OK",
    overallHealth: "GREEN",
    isReversed: false,
    isMigration: inputs.isMigration ?? false,
    slaProfile: inputs.slaProfileId ? { id: inputs.slaProfileId, displayName: "Gold" } : null,
    ...changes,
  };
}

async function createdState(news: object = program): Promise<{ inputs: VmReplicationInputs; olds: VmReplicationOutputs }> {
  const inputs = await checked(news);
  return { inputs, olds: replicationState(liveFor(inputs), inputs) };
}

function withValue(inputs: VmReplicationInputs, path: string, value: unknown): VmReplicationInputs {
  const copy = structuredClone(inputs) as any;
  const keys = path.split(".");
  const parent = keys.slice(0, -1).reduce((object, key) => object[key], copy);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

describe("VCDA VmReplication: check", () => {
  withoutPreflight();

  it("applies VCDA's defaults for custom settings when there is no SLA profile, and sorts excluded disks", async () => {
    const inputs = await checked({ ...program, source: { ...program.source, excludedDisks: [2002, 2001] } });
    assert.equal(inputs.dataConnectionType, "ENCRYPTED_COMPRESSED");
    assert.equal(inputs.quiesced, true);
    assert.equal(inputs.targetDiskType, "THIN");
    assert.equal(inputs.isMigration, false);
    assert.deepEqual(inputs.source.excludedDisks, [2001, 2002]);
  });

  it("adds no custom settings next to an SLA profile", async () => {
    const { rpo: _rpo, ...rest } = program;
    const inputs = await checked({ ...rest, slaProfileId: GOLD_SLA });
    assert.equal("dataConnectionType" in inputs, false);
    assert.equal("quiesced" in inputs, false);
  });

  it("refuses an SLA profile together with custom settings, naming slaProfileId and the rule", async () => {
    const { failures } = await handler.check({}, { ...program, slaProfileId: GOLD_SLA } as VmReplicationInputs);
    assert.deepEqual(failures!.map((f) => f.property), ["slaProfileId"]);
    assert.match(failures![0].reason, /set either slaProfileId or the custom settings/);
  });
});

describe("VCDA VmReplication: diff", () => {
  withoutPreflight();

  it("finds no change right after create", async () => {
    const { inputs, olds } = await createdState();
    assert.deepEqual(diffVmReplication(olds, inputs), { changes: false });
  });

  const updates: Array<[string, unknown]> = [
    ["description", "db"], ["rpo", 60], ["dataConnectionType", "PLAIN"], ["quiesced", false],
    ["retentionPolicy", { rules: [{ numberOfInstances: 2, distance: 120 }] }], ["source.excludedDisks", [2001]],
  ];
  for (const [path, value] of updates) {
    it(`updates in place when ${path} changes`, async () => {
      const { inputs, olds } = await createdState();
      assert.deepEqual(diffVmReplication(olds, withValue(inputs, path, value)), { changes: true });
    });
  }

  it("updates in place when switching to an SLA profile", async () => {
    const { olds } = await createdState();
    const { rpo: _rpo, ...rest } = program;
    assert.deepEqual(diffVmReplication(olds, await checked({ ...rest, slaProfileId: GOLD_SLA })), { changes: true });
  });

  const replaces: Array<[string, unknown]> = [
    ["source.type", "vcVm"], ["source.site", "cloud-west"], ["source.vmId", "09c749b4-79c1-46d0-9520-ffd0ea609f57"],
    ["source.vcUuid", "8d5489f5-f920-4cee-9d41-733ff31a2664"], ["destination.type", "vm"], ["destination.site", "cloud-east"],
    ["destination.vdc", "5e0f6f59-880d-4473-8e87-961acebfcef5"], ["destination.storageProfile", "e8309ad5-2528-4234-86df-f64f0fec25ea"],
    ["targetDiskType", "PREALLOCATED"], ["isMigration", true], ["profile", "west"],
  ];
  for (const [path, value] of replaces) {
    it(`replaces the replication when ${path} changes, deleting the old one first (VCDA replicates a VM once)`, async () => {
      const { inputs, olds } = await createdState();
      const optedIn = { ...withValue(inputs, path, value), allowProtectionGapOnReplace: true };
      assert.deepEqual(diffVmReplication(olds, optedIn), { changes: true, replaces: [path], deleteBeforeReplace: true });
    });

    it(`refuses a change of ${path} without allowProtectionGapOnReplace, saying the replication is deleted first`, async () => {
      const { inputs, olds } = await createdState();
      assert.throws(() => diffVmReplication(olds, withValue(inputs, path, value)), (err: Error) => err instanceof ProtectionGapError
        && err.message.includes(`replaces it (${path} `) && /DELETES the protection FIRST/.test(err.message) && /Nothing was changed/.test(err.message));
    });
  }

  it("never compares create-only settings (seed VM, initial sync time)", async () => {
    const { inputs, olds } = await createdState();
    assert.deepEqual(diffVmReplication(olds, { ...withValue(inputs, "destination.seedVmId", VM), initialSyncTime: 4102444800000 }), { changes: false });
  });

  it("treats an absent connection type or quiescing as VCDA's defaults, on either side", async () => {
    const { inputs, olds } = await createdState();
    const { dataConnectionType: _d, quiesced: _q, ...bare } = inputs;
    assert.deepEqual(diffVmReplication(olds, bare), { changes: false });
    const { dataConnectionType: _od, quiesced: _oq, ...olderState } = olds;
    assert.deepEqual(diffVmReplication(olderState, inputs), { changes: false });
    assert.deepEqual(diffVmReplication(olderState, { ...inputs, quiesced: false }), { changes: true });
  });

  it("ignores the order of excluded disks", async () => {
    const { inputs, olds } = await createdState({ ...program, source: { ...program.source, excludedDisks: [2001, 2002] } });
    assert.deepEqual(diffVmReplication(olds, withValue(inputs, "source.excludedDisks", [2002, 2001])), { changes: false });
  });

  it("counts values still unknown during preview as changes, replacing when they sit on a replace path", async () => {
    const { inputs, olds } = await createdState();
    assert.deepEqual(diffVmReplication(olds, { ...inputs, rpo: UNKNOWN as unknown as number }), { changes: true });
    assert.deepEqual(diffVmReplication(olds, { ...withValue(inputs, "destination.vdc", UNKNOWN), allowProtectionGapOnReplace: true }),
      { changes: true, replaces: ["destination.vdc"], deleteBeforeReplace: true });
    const wholeSource = diffVmReplication(olds, { ...inputs, source: UNKNOWN as any, allowProtectionGapOnReplace: true });
    assert.deepEqual(wholeSource.replaces, ["source.type", "source.site", "source.vmId", "source.vcUuid"]);
  });

  it("never plans a replace for a replication failed over outside Pulumi", async () => {
    const { inputs } = await createdState();
    const failedOver = replicationState(liveFor(inputs, { destinationState: { recoveryInfo: { recoveryState: "COMPLETE" } } }), inputs);
    // the state itself is drift: an update, which refuses, never a replace
    assert.deepEqual(diffVmReplication(failedOver, inputs), { changes: true });
    assert.deepEqual(diffVmReplication(failedOver, { ...inputs, replicationState: "failedOver" }), { changes: false });
    assert.deepEqual(diffVmReplication(failedOver, withValue(inputs, "destination.site", "cloud-east")), { changes: true });
    const reversed = replicationState(liveFor(inputs, { isReversed: true }), inputs);
    assert.deepEqual(diffVmReplication(reversed, withValue(inputs, "source.vmId", "09c749b4-79c1-46d0-9520-ffd0ea609f57")), { changes: true });
    assert.match(replicationStateMismatch(failedOver, inputs)!, /as failedOver, the program expects replicating.*does not delete or re-create/);
  });

  it("names each state VCDA can report, and health only with failDriftOnUnhealthy", async () => {
    const inputs = await checked(program);
    const state = (patch: object, failOnUnhealthy = false) => observedReplicationState(liveFor(inputs, patch) as any, failOnUnhealthy);
    assert.equal(state({}), "replicating");
    assert.equal(state({ isPaused: true }), "paused");
    // a failover test is no state of its own: VCDA keeps replicating (docs/api-notes/vcda.md#failover-tests)
    assert.equal(state({ destinationState: { recoveryInfo: { recoveryState: "TEST" } } }), "replicating");
    assert.equal(state({ isPaused: true, destinationState: { recoveryInfo: { recoveryState: "TEST" } } }), "paused");
    assert.equal(state({ destinationState: { recoveryInfo: { recoveryState: "COMPLETE" } } }), "failedOver");
    assert.equal(state({ isMigration: true, destinationState: { recoveryInfo: { recoveryState: "COMPLETE" } } }), "migrated");
    assert.equal(state({ isReversed: true }), "reversed");
    assert.equal(state({ overallHealth: "RED" }), "replicating");
    assert.equal(state({ overallHealth: "RED" }, true), "unhealthy");
  });
});

describe("VCDA VmReplication: outputs", () => {
  withoutPreflight();

  const seeded = {
    ...program,
    source: { ...program.source, excludedDisks: [2001] },
    destination: { ...program.destination, type: "vm", seedVmId: "521ea71e-a607-4b99-9bdf-ac914473c793" },
    initialSyncTime: 1700000000000,
    targetDiskType: "PREALLOCATED",
  };

  it("map VCDA's settings, excluded disk keys, vDC and SLA profile onto the input keys, plus the computed fields", async () => {
    const inputs = await checked(seeded);
    const live = liveFor(inputs);
    live.settings = { ...live.settings, rpo: 45, quiesced: false, excludedDiskKeys: [2000] };
    live.destination.vdcId = "0ef14e96-87f0-418f-9c33-9a8ee787d562";
    live.destinationState = { ...live.destinationState, currentRpoViolation: 12, latestInstance: { key: "replica-1", sequenceNumber: 3, timestamp: 1700000060000, quiescedType: "notQuiesced" } };
    const state = replicationState(live, inputs);
    assert.deepEqual(state, {
      ...inputs,
      source: { ...inputs.source, excludedDisks: [2000] },
      destination: { ...inputs.destination, vdc: "0ef14e96-87f0-418f-9c33-9a8ee787d562" },
      rpo: 45,
      quiesced: false,
      replicationId: ID, vmName: "acme-web-01", owner: "root@System", recoveryState: "NOT_STARTED", isReversed: false,
      dataConnectionState: "OK", overallHealth: "GREEN", drift: null,
      latestInstance: { key: "replica-1", sequenceNumber: 3, timestamp: 1700000060000, quiescedType: "notQuiesced" }, currentRpoViolation: 12,
    });
  });

  it("report no latest instance (null, not absent) and no RPO violation (-1) before the initial sync", async () => {
    const inputs = await checked(seeded);
    const state = replicationState(liveFor(inputs), inputs);
    assert.equal(state.latestInstance, null);
    assert.equal(state.currentRpoViolation, -1);
  });

  it("a new latest instance or RPO violation is no diff: outputs that change over time are not inputs", async () => {
    const inputs = await checked(seeded);
    const live = liveFor(inputs);
    live.destinationState = { ...live.destinationState, currentRpoViolation: 30, latestInstance: { key: "replica-9", sequenceNumber: 9, timestamp: 1 } };
    const diff = await handler.diff!(ID, replicationState(live, inputs), inputs);
    assert.equal(diff.changes, false);
  });

  it("carry over what GET does not return (types, seed, disk type, initial sync time) and report no drift for it", async () => {
    const inputs = await checked(seeded);
    const state = replicationState(liveFor(inputs), inputs);
    assert.equal(state.source.type, "vm");
    assert.equal(state.destination.type, "vm");
    assert.equal(state.destination.seedVmId, seeded.destination.seedVmId);
    assert.equal(state.targetDiskType, "PREALLOCATED");
    assert.equal(state.initialSyncTime, 1700000000000);
    assert.deepEqual(replicationInputsOf(state), inputs);
  });

  it("report an SLA profile switched off out of band as a missing slaProfileId", async () => {
    const { rpo: _rpo, ...rest } = program;
    const inputs = await checked({ ...rest, slaProfileId: GOLD_SLA });
    const state = replicationState(liveFor(inputs, { slaProfile: null }), inputs);
    assert.equal("slaProfileId" in state, false);
    assert.deepEqual(diffVmReplication(state, inputs), { changes: true });
  });

  it("keep the recorded inputs of a reversed replication and explain what happened and what to do", async () => {
    const inputs = await checked(program);
    const reversed = liveFor(inputs, { isReversed: true, source: { site: "cloud-west", org: "org-acme" }, destination: { site: "cloud-east", org: "org-acme", vdcId: null } });
    const state = replicationState(reversed, inputs);
    // the recorded inputs, except the state: that is the drift refresh reports
    assert.deepEqual(replicationInputsOf(state), { ...inputs, replicationState: "reversed" });
    assert.equal(state.isReversed, true);
    assert.match(state.drift!, /was reversed \(it now replicates cloud-west → cloud-east\) outside Pulumi/);
    assert.match(state.drift!, /pulumi state delete <URN>/);
    assert.equal(driftOf(liveFor(inputs)), undefined);
  });
});

describe("VCDA VmReplication: requests", () => {
  withoutPreflight();

  it("sends the documented create body with VCDA's custom-setting defaults", async () => {
    const inputs = await checked({ ...program, profile: "east" });
    assert.deepEqual(replicationSpec(inputs), {
      source: program.source, destination: program.destination, description: "web", rpo: 30,
      dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, targetDiskType: "THIN", isMigration: false,
    });
  });

  it("reconfigures only the description when only the description changed", async () => {
    const { inputs, olds } = await createdState();
    assert.deepEqual(reconfigureSpec(olds, { ...inputs, description: "db" }), { description: "db" });
    assert.equal(reconfigureSpec(olds, inputs), undefined);
  });

  it("sends every custom setting when one changes, since any of them drops an SLA profile", async () => {
    const { inputs, olds } = await createdState();
    assert.deepEqual(reconfigureSpec(olds, { ...inputs, rpo: 60 }), { rpo: 60, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true });
  });

  it("sends the SLA profile alone when switching to one", async () => {
    const { olds } = await createdState();
    const { rpo: _rpo, description: _d, ...rest } = program;
    assert.deepEqual(reconfigureSpec(olds, await checked({ ...rest, slaProfileId: GOLD_SLA })), { slaProfileId: GOLD_SLA });
  });
});

describe("VCDA VmReplication: sourceReconfigure", () => {
  withoutPreflight();
  const withStartup = { type: "vcVmReconfigure", vappName: "imported", vmStartupInfo: { order: 2, startAction: "powerOn", startDelay: 30000, stopAction: "guestShutdown", stopDelay: 0 } };

  it("is accepted as the guide defines it and refused with a named property otherwise", async () => {
    const ok = await handler.check({}, { source: { type: "vm", site: "cloud-east", vmId: VM }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 15, sourceReconfigure: withStartup } as any);
    assert.deepEqual(ok.failures, []);
    const bad = await handler.check({}, { source: { type: "vm", site: "cloud-east", vmId: VM }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 15, sourceReconfigure: { type: "vcReconfigure" } } as any);
    assert.ok(bad.failures?.some((f) => f.property.startsWith("sourceReconfigure")), JSON.stringify(bad.failures));
  });

  it("updates in place and is sent in the PATCH; VCDA's startupInfo is read back", async () => {
    const inputs = await checked({ source: { type: "vm", site: "cloud-east", vmId: VM }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 15 });
    const olds = replicationState(liveFor(inputs), inputs);
    const news = { ...inputs, sourceReconfigure: withStartup } as VmReplicationInputs;
    const diff = await handler.diff!(ID, olds, news);
    assert.deepEqual(diff.replaces ?? [], []);
    assert.ok(diff.changes);
    assert.deepEqual(reconfigureSpec(olds, news), { sourceReconfigure: withStartup });
    const live = liveFor(news, { startupInfo: { order: 5, startAction: "powerOn", startDelay: 30000, stopAction: "guestShutdown", stopDelay: 0 } });
    const state = replicationState(live, news);
    assert.equal(state.sourceReconfigure?.vmStartupInfo?.order, 5, "drift of the startup order shows as a property diff");
    assert.ok((await handler.diff!(ID, state, news)).changes);
    assert.equal((await handler.diff!(ID, replicationState(liveFor(news, { startupInfo: withStartup.vmStartupInfo }), news), news)).changes, false);
  });
});

