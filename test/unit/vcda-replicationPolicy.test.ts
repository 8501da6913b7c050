import assert from "node:assert/strict";
import type { ReplicationPolicyInputs } from "../../provider/inputs.generated";
import type { VcdaPolicy } from "../../provider/vcda/models";
import { createReplicationPolicyHandler, desiredSettings, diffReplicationPolicy, policyInputsOf, policyState, restoreValuesFor } from "../../provider/vcda/replicationPolicy";
import { UNKNOWN } from "../../provider/state";
import { withoutPreflight } from "../fixtures/preflight";

const noClient = () => assert.fail("check and diff must not reach VCDA");
const handler = createReplicationPolicyHandler(noClient);

async function checked(news: object): Promise<ReplicationPolicyInputs> {
  const { inputs, failures } = await handler.check({}, news as ReplicationPolicyInputs);
  assert.deepEqual(failures, []);
  return inputs!;
}

/** The built-in policy as VCDA ships it (docs/api-notes/vcda.md#the-default-policy): no organization may replicate. */
const SHIPPED_DEFAULT: VcdaPolicy = {
  id: "default", displayName: "Default Policy", orgs: -1, minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: 0,
  allowIncomingProtections: false, allowOutgoingProtections: false, allowIncomingMigrations: true, allowOutgoingMigrations: true,
  onpremDataCap: 0, allowCustomSlaSettings: true, allowNotificationConfiguration: true,
};

/** What VCDA answers for the inputs: every setting as sent (the rest as shipped), with an id and an org count. */
function liveFor(inputs: ReplicationPolicyInputs, id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"): VcdaPolicy {
  return { ...desiredSettings(inputs, SHIPPED_DEFAULT), id, orgs: 0 };
}

describe("VCDA ReplicationPolicy: check", () => {
  withoutPreflight();

  it("fills the schema defaults so that every setting is explicit", async () => {
    const inputs = await checked({ displayName: "Gold" });
    assert.deepEqual(inputs, {
      displayName: "Gold", isDefault: false, minRpo: 15, maxInstances: 24, maxPinnedInstances: 0, maxIncoming: -1,
      allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true,
      onpremDataCap: 0, allowCustomSlaSettings: true, allowNotificationConfiguration: true,
    });
  });

  it("fills no default into the built-in policy's inputs: what the program leaves out is not managed", async () => {
    assert.deepEqual(await checked({ isDefault: true, minRpo: 30 }), { isDefault: true, minRpo: 30 });
  });

  it("refuses more pinned than retained instances, naming the property and the rule", async () => {
    const { failures } = await handler.check({}, { displayName: "Gold", maxInstances: 4, maxPinnedInstances: 5 });
    assert.equal(failures!.length, 1);
    assert.equal(failures![0].property, "maxPinnedInstances");
    assert.match(failures![0].reason, /maxPinnedInstances must not exceed maxInstances/);
  });

  it("requires a displayName unless the built-in default policy is managed", async () => {
    const { failures } = await handler.check({}, {});
    assert.deepEqual(failures!.map((f) => f.property), ["displayName"]);
    await checked({ isDefault: true });
  });
});

describe("VCDA ReplicationPolicy: diff", () => {
  withoutPreflight();

  const gold = { displayName: "Gold", minRpo: 30 };

  it("finds no change right after create", async () => {
    const inputs = await checked(gold);
    assert.deepEqual(diffReplicationPolicy(policyState(liveFor(inputs), inputs), inputs), { changes: false });
  });

  const updates: Array<[string, unknown]> = [
    ["displayName", "Platinum"], ["minRpo", 60], ["maxInstances", 12], ["maxPinnedInstances", 2], ["maxIncoming", 5],
    ["allowIncomingProtections", false], ["allowOutgoingProtections", false], ["allowIncomingMigrations", false],
    ["allowOutgoingMigrations", false], ["onpremDataCap", 100], ["allowCustomSlaSettings", false], ["allowNotificationConfiguration", false],
  ];
  for (const [field, value] of updates) {
    it(`updates in place when ${field} changes`, async () => {
      const inputs = await checked(gold);
      const olds = policyState(liveFor(inputs), inputs);
      assert.deepEqual(diffReplicationPolicy(olds, await checked({ ...gold, [field]: value })), { changes: true });
    });
  }

  for (const [field, value] of [["isDefault", true], ["profile", "dr-site"]] as const) {
    it(`replaces the policy when ${field} changes`, async () => {
      const inputs = await checked(gold);
      const olds = policyState(liveFor(inputs), inputs);
      assert.deepEqual(diffReplicationPolicy(olds, await checked({ ...gold, [field]: value })), { changes: true, replaces: [field] });
    });
  }

  it("gives the built-in policy back its earlier values before managing it again through another profile", async () => {
    const inputs = await checked({ isDefault: true, minRpo: 30 });
    const olds = policyState({ ...SHIPPED_DEFAULT, minRpo: 30 }, inputs, { minRpo: 15 });
    assert.deepEqual(diffReplicationPolicy(olds, await checked({ isDefault: true, minRpo: 30, profile: "dr-site" })),
      { changes: true, replaces: ["profile"], deleteBeforeReplace: true });
  });

  it("replaces the policy when its connection profile is removed", async () => {
    const inputs = await checked({ ...gold, profile: "dr-site" });
    const olds = policyState(liveFor(inputs), inputs);
    assert.deepEqual(diffReplicationPolicy(olds, await checked(gold)), { changes: true, replaces: ["profile"] });
  });

  it("counts a value still unknown during preview as a change", async () => {
    const inputs = await checked(gold);
    const olds = policyState(liveFor(inputs), inputs);
    assert.deepEqual(diffReplicationPolicy(olds, { ...inputs, displayName: UNKNOWN }), { changes: true });
  });

  it("ignores the displayName of the default policy when the program does not set one", async () => {
    const inputs = await checked({ isDefault: true, maxIncoming: 10 });
    const olds = policyState({ ...liveFor(inputs, "default"), orgs: -1 }, inputs);
    assert.equal(olds.displayName, undefined);
    assert.deepEqual(diffReplicationPolicy(olds, inputs), { changes: false });
  });
});

describe("VCDA ReplicationPolicy: the built-in policy's settings", () => {
  withoutPreflight();

  it("sends the declared settings and the live value of every other one", async () => {
    const opened = { ...SHIPPED_DEFAULT, maxIncoming: 7 };
    const { id: _id, orgs: _orgs, ...live } = opened;
    assert.deepEqual(desiredSettings(await checked({ isDefault: true, minRpo: 30 }), opened), { ...live, minRpo: 30 });
  });

  it("refuses to build a full policy without a live one to take the undeclared settings from", () => {
    assert.throws(() => desiredSettings({ isDefault: true, minRpo: 30 }), /displayName, maxInstances, .* must be set/);
  });

  it("records the pre-management value of each declared setting, and only of those", async () => {
    const restore = restoreValuesFor(await checked({ isDefault: true, minRpo: 30 }), SHIPPED_DEFAULT);
    assert.deepEqual(restore, { minRpo: 15 });
  });

  it("keeps a value recorded earlier and adds a newly declared setting from the live policy", async () => {
    const managed = { ...SHIPPED_DEFAULT, minRpo: 30 };
    const restore = restoreValuesFor(await checked({ isDefault: true, minRpo: 45, maxIncoming: 3 }), managed, { minRpo: 15 });
    assert.deepEqual(restore, { minRpo: 15, maxIncoming: 0 });
  });

  it("keeps a value recorded earlier when the program stops declaring the setting", async () => {
    assert.deepEqual(restoreValuesFor(await checked({ isDefault: true }), SHIPPED_DEFAULT, { minRpo: 15 }), { minRpo: 15 });
  });

  it("hold only the declared settings in the outputs, so a preview shows no other setting", async () => {
    const inputs = await checked({ isDefault: true, minRpo: 30 });
    const state = policyState({ ...SHIPPED_DEFAULT, minRpo: 30 }, inputs, { minRpo: 15 });
    assert.deepEqual(state, { isDefault: true, minRpo: 30, policyId: "default", orgs: -1, restoreValues: { minRpo: 15 }, compliance: [] });
    assert.deepEqual(diffReplicationPolicy(state, inputs), { changes: false });
    assert.deepEqual(diffReplicationPolicy(state, await checked({ isDefault: true, minRpo: 45 })), { changes: true });
  });
});

describe("VCDA ReplicationPolicy: outputs", () => {
  withoutPreflight();

  it("hold the input keys with VCDA's values, the id and the org count, and nothing undefined", async () => {
    const inputs = await checked({ displayName: "Gold" });
    const state = policyState({ ...liveFor(inputs), minRpo: 45, orgs: 2 }, inputs);
    assert.equal(state.minRpo, 45);
    assert.equal(state.orgs, 2);
    assert.equal(state.policyId, "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assert.ok(Object.values(state).every((v) => v !== undefined));
    assert.deepEqual(policyInputsOf(state), { ...inputs, minRpo: 45 });
  });

  it("keep the default policy's earlier values for the delete that restores them", async () => {
    const inputs = await checked({ isDefault: true });
    const restoreValues = desiredSettings(await checked({ displayName: "Default Policy", maxIncoming: 0 }));
    const state = policyState({ ...liveFor(inputs, "default"), orgs: -1 }, inputs, restoreValues);
    assert.deepEqual(state.restoreValues, restoreValues);
    assert.equal("restoreValues" in policyInputsOf(state), false);
  });
});
