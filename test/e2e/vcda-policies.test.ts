import * as assert from "node:assert/strict";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { Project, ResourceSpec, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { simRequest, skipRestAfterFailure, tearDown } from "./support";

const PASSWORD = "vcda-sim-vcd-password";
const GOLD = "0a11c0de-0000-4000-8000-00000000601d";
/** Every setting of a policy but minRpo: none of them may show in a preview of a program that declares only minRpo. */
const UNDECLARED = /maxInstances|maxPinnedInstances|maxIncoming|allowIncoming|allowOutgoing|onpremDataCap|allowCustomSlaSettings|allowNotificationConfiguration|displayName/;

/**
 * The built-in default policy managed through the real engine: only what the program declares
 * changes, the preview says so, and destroy gives back exactly what Pulumi changed. And an
 * assignment of an organization with no replications (which VCDA's compliance status does not
 * name) reads back clean.
 */
describe("e2e: VCDA default policy and idle assignments through the Pulumi CLI", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let project: Project;
  let stack: TestStack;
  let original: Record<string, unknown>;

  const simState = async () => (await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body;
  const defaultPolicy = async () => (await simState()).policies.find((p: { id: string }) => p.id === "default");
  const managedDefault = (minRpo: number): ResourceSpec => ({ type: "vcda:ReplicationPolicy", name: "default", args: { isDefault: true, minRpo } });
  const idleAssignment: ResourceSpec = { type: "vcda:OrgPolicyAssignment", name: "initech-gold", args: { org: "org-initech", policyId: GOLD } };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    // an administrator has already tuned the default policy by hand: none of it is the schema's defaults for new policies
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/policies/default", { maxInstances: 12, onpremDataCap: 100 })).status, 200);
    assert.equal((await simRequest(vcda.url, "PUT", `/_admin/vcda/policies/${GOLD}`, { displayName: "Gold", minRpo: 15 })).status, 200);
    original = await defaultPolicy();
    project = await Project.program();
    stack = await project.stack("policies", { "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" },
      { "vcda:password": PASSWORD });
  });

  after(() => tearDown([stack], [vcda]));

  it("previews managing the default policy with only minRpo as a change of minRpo alone", async () => {
    await stack.writeResources([managedDefault(30)]);
    const preview = await stack.preview({ diff: true });
    assert.match(preview.output, /minRpo\s*:\s*30/);
    assert.doesNotMatch(preview.output, UNDECLARED);
  });

  it("sets minRpo and leaves every other setting of the default policy as it was", async () => {
    await stack.up();
    assert.deepEqual(await defaultPolicy(), { ...original, minRpo: 30 });
    const [resource] = await stack.resources("vcda:ReplicationPolicy");
    assert.deepEqual(resource.outputs.restoreValues, { minRpo: original.minRpo });
    await stack.assertNoChanges();
  });

  it("previews a new minRpo as an in-place update of minRpo alone, and applies just that", async () => {
    await stack.writeResources([managedDefault(45)]);
    const preview = await stack.preview({ diff: true });
    assert.match(preview.output, /~ .*update/);
    assert.match(preview.output, /minRpo\s*:\s*30\s*=>\s*45/);
    assert.doesNotMatch(preview.output, UNDECLARED);
    await stack.up();
    assert.deepEqual(await defaultPolicy(), { ...original, minRpo: 45 });
    await stack.assertNoChanges();
  });

  it("reads back clean an assignment of an organization with no replications, which the policy's status does not name", async () => {
    await stack.writeResources([managedDefault(45), idleAssignment]);
    await stack.up();
    assert.equal((await simState()).orgPolicies["org-initech"], GOLD);
    const status = await simRequest(vcda.url, "GET", "/_admin/vcda/state");
    assert.equal(Object.values<any>(status.body.replications).length, 0, "org-initech is the destination of no replication");
    await stack.refresh();
    await stack.assertNoChanges();
    const [assignment] = await stack.resources("vcda:OrgPolicyAssignment");
    assert.equal(assignment.outputs.policyId, GOLD);
  });

  it("destroys: the default policy gets back the value Pulumi changed (keeping a setting changed by hand meanwhile), the organization the default policy", async () => {
    assert.equal((await simRequest(vcda.url, "PUT", "/_admin/vcda/policies/default", { onpremDataCap: 200 })).status, 200);
    await stack.destroy();
    assert.deepEqual(await defaultPolicy(), { ...original, onpremDataCap: 200 });
    assert.equal((await simState()).orgPolicies["org-initech"], "default");
  });
});
