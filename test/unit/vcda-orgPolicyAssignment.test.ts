import assert from "node:assert/strict";
import type { OrgPolicyAssignmentInputs } from "../../provider/inputs.generated";
import type { VcdaClient } from "../../provider/vcda/client";
import type { VcdaPolicy } from "../../provider/vcda/models";
import { assignmentInputsOf, assignmentState, createOrgPolicyAssignmentHandler, diffOrgPolicyAssignment } from "../../provider/vcda/orgPolicyAssignment";
import { readOrgPolicy } from "../../provider/vcda/orgPolicyReading";
import { UNKNOWN } from "../../provider/state";
import { withoutPreflight } from "../fixtures/preflight";

const handler = createOrgPolicyAssignmentHandler(() => assert.fail("check and diff must not reach VCDA"));
const GOLD = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const SILVER = "6d2a1c3e-8f4b-4c1d-9e2f-0a1b2c3d4e5f";
const policy = (id: string, displayName: string) => ({ id, displayName, orgs: 1 }) as VcdaPolicy;

async function checked(news: object): Promise<OrgPolicyAssignmentInputs> {
  const { inputs, failures } = await handler.check({}, news as OrgPolicyAssignmentInputs);
  assert.deepEqual(failures, []);
  return inputs!;
}

describe("VCDA OrgPolicyAssignment: check", () => {
  withoutPreflight();

  it("refuses a policy id that is neither 'default' nor a UUID, naming the property", async () => {
    const { failures } = await handler.check({}, { org: "org-acme", policyId: "gold" });
    assert.deepEqual(failures!.map((f) => f.property), ["policyId"]);
    assert.match(failures![0].reason, /must be 'default' or a policy UUID/);
  });

  it("accepts a policy id still unknown during preview", async () => {
    await checked({ org: "org-acme", policyId: UNKNOWN });
  });
});

describe("VCDA OrgPolicyAssignment: diff", () => {
  withoutPreflight();

  const assigned = async (news: object) => {
    const inputs = await checked(news);
    return { inputs, olds: assignmentState(inputs, policy(inputs.policyId, "Gold")) };
  };

  it("finds no change right after create", async () => {
    const { inputs, olds } = await assigned({ org: "org-acme", policyId: GOLD });
    assert.deepEqual(diffOrgPolicyAssignment(olds, inputs), { changes: false });
  });

  it("moves the organization in place when the policy changes", async () => {
    const { olds } = await assigned({ org: "org-acme", policyId: GOLD });
    assert.deepEqual(diffOrgPolicyAssignment(olds, await checked({ org: "org-acme", policyId: SILVER })), { changes: true });
  });

  it("replaces the assignment when the organization or the connection profile changes", async () => {
    const { olds } = await assigned({ org: "org-acme", policyId: GOLD });
    assert.deepEqual(diffOrgPolicyAssignment(olds, await checked({ org: "org-globex", policyId: GOLD })), { changes: true, replaces: ["org"] });
    assert.deepEqual(diffOrgPolicyAssignment(olds, await checked({ org: "org-acme", policyId: GOLD, profile: "west" })),
      { changes: true, replaces: ["profile"] });
  });

  it("counts a policy id still unknown during preview as a change", async () => {
    const { olds } = await assigned({ org: "org-acme", policyId: GOLD });
    assert.deepEqual(diffOrgPolicyAssignment(olds, { org: "org-acme", policyId: UNKNOWN }), { changes: true });
  });
});

describe("VCDA OrgPolicyAssignment: outputs", () => {
  withoutPreflight();

  it("report the policy the org has and its display name; the inputs drop the display name", () => {
    const state = assignmentState({ org: "org-acme", policyId: GOLD }, policy(SILVER, "Silver"));
    assert.deepEqual(state, { org: "org-acme", policyId: SILVER, policyDisplayName: "Silver" });
    assert.deepEqual(assignmentInputsOf(state), { org: "org-acme", policyId: SILVER });
  });
});

describe("VCDA OrgPolicyAssignment: reading an organization's policy", () => {
  /** VCDA's two reads: each policy's assignment count, and the organizations its compliance status names. */
  const vcda = (policies: Array<[string, number, string[]]>) => ({
    listPolicies: async () => [["default", -1, []] as [string, number, string[]], ...policies].map(([id, orgs]) => ({ ...policy(id, id), orgs })),
    policyStatus: async (id: string) => (policies.find(([p]) => p === id)?.[2] ?? []).map((org) => ({ org })),
  }) as unknown as VcdaClient;
  const read = async (client: VcdaClient, expected: string) => {
    const { policy: found, proven } = await readOrgPolicy(client, "org-acme", expected);
    return { policyId: found.id, proven };
  };

  it("proves the policy whose compliance status names the organization", async () => {
    assert.deepEqual(await read(vcda([[GOLD, 1, ["org-acme"]], [SILVER, 0, []]]), GOLD), { policyId: GOLD, proven: true });
    assert.deepEqual(await read(vcda([[GOLD, 0, []], [SILVER, 2, ["org-globex", "org-acme"]]]), GOLD), { policyId: SILVER, proven: true });
  });

  it("proves the default policy when every other policy's count is matched by the organizations it names", async () => {
    assert.deepEqual(await read(vcda([[GOLD, 1, ["org-globex"]], [SILVER, 0, []]]), GOLD), { policyId: "default", proven: true });
  });

  it("keeps the expected policy, unproven, for an organization with no replications: never a false move to default", async () => {
    assert.deepEqual(await read(vcda([[GOLD, 1, []]]), GOLD), { policyId: GOLD, proven: false });
    assert.deepEqual(await read(vcda([[GOLD, 2, ["org-globex"]]]), GOLD), { policyId: GOLD, proven: false });
  });

  it("takes an unnamed member of the expected policy to be the organization, with one status read", async () => {
    let reads = 0;
    const client = vcda([[GOLD, 2, ["org-globex"]], [SILVER, 1, []]]);
    const counting = { listPolicies: client.listPolicies, policyStatus: (id: string) => (reads++, client.policyStatus(id)) } as unknown as VcdaClient;
    assert.deepEqual(await read(counting, GOLD), { policyId: GOLD, proven: false });
    assert.equal(reads, 1);
  });

  it("reports the organization off the expected policy when that policy's count is used up", async () => {
    assert.deepEqual(await read(vcda([[GOLD, 0, []], [SILVER, 1, []]]), GOLD), { policyId: "default", proven: false });
    assert.deepEqual(await read(vcda([[SILVER, 1, []]]), GOLD), { policyId: "default", proven: false }, "the expected policy is gone");
  });
});
