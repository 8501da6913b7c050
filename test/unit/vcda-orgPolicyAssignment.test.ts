import assert from "node:assert/strict";
import type { OrgPolicyAssignmentInputs } from "../../provider/inputs.generated";
import type { VcdaPolicy } from "../../provider/vcda/client";
import { assignmentInputsOf, assignmentState, createOrgPolicyAssignmentHandler, diffOrgPolicyAssignment } from "../../provider/vcda/orgPolicyAssignment";
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
