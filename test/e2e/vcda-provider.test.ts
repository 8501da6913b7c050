import * as assert from "node:assert/strict";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, assertRejectedAtPreview, dropAndRecreate, exampleStack, simRequest, skipRestAfterFailure, tearDown, updateInPlace } from "./support";

const PASSWORD = "vcda-sim-vcd-password";

interface VcdaState {
  policies: Array<{ id: string; displayName: string; minRpo: number; maxInstances: number; orgs: number }>;
  orgPolicies: Record<string, string>;
}

describe("e2e: VCDA replication policy and org assignments through the Pulumi CLI (examples/vcda-provider)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: TestStack;
  let policyId: string;

  const simState = async (): Promise<VcdaState> => (await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body;
  const gold = async () => {
    const policies = (await simState()).policies.filter((p) => p.id !== "default");
    assert.equal(policies.length, 1, `expected one policy besides default, found ${policies.map((p) => p.displayName).join(", ") || "none"}`);
    return policies[0];
  };
  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await exampleStack("vcda-provider");
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    await project.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" }, { "vcda:password": PASSWORD });
  });

  after(() => tearDown([project], [vcda]));

  it("creates the policy and assigns it to org-acme", async () => {
    await project.up();
    const outputs = await project.outputs();
    const policy = await gold();
    policyId = outputs.policyId;
    assert.equal(policy.id, policyId);
    assert.equal(policy.displayName, "gold");
    assert.equal(policy.minRpo, 30);
    assert.equal((await simState()).orgPolicies["org-acme"], policyId);
    assert.deepEqual(outputs.assignedOrgs, ["org-acme"]);
  });

  it("finds nothing to change in a second preview or a refresh", () => project.assertNoChanges());

  it("reports an out-of-band policy change as drift naming minRpo", async () => {
    assert.equal((await simRequest(vcda.url, "PUT", `/_admin/vcda/policies/${policyId}`, { minRpo: 120 })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /minRpo/);
    const preview = await project.preview({ refresh: true, diff: true });
    assert.match(preview.output, /~ .*update/);
    assert.match(preview.output, /minRpo/);
    assert.doesNotMatch(preview.output, /replace/);
  });

  it("puts the policy back with up --refresh, changing nothing else", async () => {
    const up = await project.up({ refresh: true });
    assert.match(up.output, /vcda:ReplicationPolicy gold updated \([^)]*\) \[diff: ~minRpo\]/);
    assert.equal((await gold()).minRpo, 30);
    await project.assertNoChanges();
  });

  it("reports an organization moved to another policy out of band, and moves it back", async () => {
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/orgs/org-acme/policy", { policyId: "default" })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /policyId/);
    const up = await project.up({ refresh: true });
    assert.match(up.output, /vcda:OrgPolicyAssignment org-acme updated \([^)]*\) \[diff: ~policyId\]/);
    assert.equal((await simState()).orgPolicies["org-acme"], policyId);
    await project.assertNoChanges();
  });

  it("updates the policy in place when the program changes minRpo", async () => {
    await updateInPlace(project, { minRpo: 60 });
    const policy = await gold();
    assert.equal(policy.id, policyId, "same policy");
    assert.equal(policy.minRpo, 60);
    await project.assertNoChanges();
  });

  it("assigns an added organization, and gives a removed one the default policy back", async () => {
    await project.setConfig({ orgs: ["org-acme", "org-globex"] });
    await project.up();
    assert.equal((await simState()).orgPolicies["org-globex"], policyId);
    assert.equal((await gold()).orgs, 2);
    await project.setConfig({ orgs: ["org-acme"] });
    await project.up();
    assert.equal((await simState()).orgPolicies["org-globex"] ?? "default", "default");
    assert.equal((await simState()).orgPolicies["org-acme"], policyId);
    await project.assertNoChanges();
  });

  it("rejects minRpo 0 at preview, naming the property and the rule, before any API call", async () => {
    await assertRejectedAtPreview(project, vcda.url, { minRpo: 0 }, [/minRpo/, />= 1|at least 1|minimum/], { minRpo: 60 });
  });

  it("rejects a misspelt organization at preview, naming the close one, before any API call", async () => {
    // the program's look-up refuses it; a malformed name is refused by the schema (test/fixtures/badInputs.ts)
    await assertRejectedAtPreview(project, vcda.url, { orgs: ["org-acme", "org-acmee"] },
      [/VCDA organization 'org-acmee' was not found at site '\(local\)'\. Did you mean 'org-acme'\?/], { orgs: ["org-acme"] });
  });

  it("recreates a policy deleted out of band and assigns the new one", async () => {
    assert.equal((await simRequest(vcda.url, "DELETE", `/_admin/vcda/policies/${policyId}`)).status, 204);
    await dropAndRecreate(project, "vcda:ReplicationPolicy");
    const policy = await gold();
    assert.notEqual(policy.id, policyId);
    assert.equal(policy.minRpo, 60);
    policyId = policy.id;
    assert.equal((await project.outputs()).policyId, policyId);
    assert.equal((await simState()).orgPolicies["org-acme"], policyId);
    await project.assertNoChanges();
  });

  it("keeps credentials out of state and CLI output", async () => {
    assert.ok(!project.backendText().includes(PASSWORD), "the backend holds the password in clear");
    assert.deepEqual(project.project.transcript.filter((text) => text.includes(PASSWORD)), []);
  });

  it("destroys the policy and gives the organization the default policy back", async () => {
    await project.destroy();
    const state = await simState();
    assert.deepEqual(state.policies.map((p) => p.id), ["default"]);
    assert.equal(state.orgPolicies["org-acme"] ?? "default", "default");
  });
});
