import * as assert from "node:assert/strict";
import { createVcdaClient } from "../../provider/vcda/client";
import { replicationSpec } from "../../provider/vcda/vmReplication";
import { policyArgs, replicationArgs, vcdaVmId } from "../../harness/fixtures";
import { allowReplication, CREDENTIALS, Sims, stackConnection, startSims } from "../../harness/sims";
import { Project, ResourceSpec, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";

/**
 * Ownership after uncertainty, through the real engine: an object is this stack's only with
 * evidence that this stack made it, explicit adoption takes only what matches (or overwrites on
 * request), a timed-out start is recorded rather than orphaned, and a delete undoes only what the
 * resource itself did.
 */
describe("e2e: VCDA ownership through the Pulumi CLI", function () {
  this.timeout(10 * 60_000);
  let sims: Sims;
  let project: Project;
  const stacks: TestStack[] = [];

  type Replication = { id: string; vmId: string; settings: { rpo: number } };
  const replicationsOf = async (vmId: string): Promise<Replication[]> =>
    Object.values<any>((await sims.vcdaAdmin.call("GET", "/_admin/vcda/state")).replications).map((r) => r.replication).filter((r) => r.vmId === vmId);
  const policyOfOrg = async (org: string): Promise<string> => (await sims.vcdaAdmin.call("GET", "/_admin/vcda/state")).orgPolicies[org];
  const stack = async (name: string, resources: ResourceSpec[]) => {
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url);
    const created = await project.stack(name, config, secrets);
    await created.writeResources(resources);
    stacks.push(created);
    return created;
  };
  const replication = (name: string, vmId: string, extra: Record<string, unknown> = {}): ResourceSpec =>
    ({ type: "vcda:VmReplication", name, args: { ...replicationArgs(vmId), ...extra } });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    sims = await startSims();
    await allowReplication(sims);
    project = await Project.program();
  });

  after(async () => {
    project.extraEnv = {};
    for (const created of stacks) await created.destroy({ mayFail: true });
    project?.dispose();
    await sims?.close();
  });

  it("leaves another stack's replication of the same VM alone when the create's answer is lost: up fails naming it, destroy keeps it", async () => {
    const vm = vcdaVmId(0);
    const ownA = await stack("own-a", [replication("web", vm)]);
    const ownB = await stack("own-b", [replication("web", vm)]);
    await ownA.up();
    const [theirs] = await replicationsOf(vm);

    await sims.vcdaAdmin.addFault({ kind: "drop", method: "POST", path: "^/vm-replications$", times: 1 });
    const up = await ownB.up({ mayFail: true });
    await sims.vcdaAdmin.clearFaults();
    assert.notEqual(up.code, 0, `stack B took stack A's replication:\n${up.output}`);
    assert.match(up.output, new RegExp(`${theirs.id}[\\s\\S]*existed before our request`));

    await ownB.destroy();
    assert.deepEqual((await replicationsOf(vm)).map((r) => r.id), [theirs.id], "stack A's replication did not survive stack B");
    await ownA.assertNoChanges();
  });

  it("records a replication whose start task outlives the task timeout, and the next up converges; destroy leaves nothing", async () => {
    const vm = vcdaVmId(1);
    const slow = await stack("own-slow", [replication("slow", vm)]);
    await sims.vcdaAdmin.call("POST", "/_admin/vcda/task-faults", { mode: "slow", type: "start", durationMs: 3_000 });
    project.extraEnv = { VCDA_TASK_TIMEOUT_SECONDS: "2" };
    try {
      const first = await slow.up({ mayFail: true });
      assert.notEqual(first.code, 0, first.output);
      assert.match(first.output, /recorded in the stack/);
      assert.equal((await slow.resources("vcda:VmReplication")).length, 1, "the started replication is not in the stack");
      await slow.up();
    } finally {
      project.extraEnv = {};
      await sims.vcdaAdmin.call("DELETE", "/_admin/vcda/task-faults");
    }
    const live = await replicationsOf(vm);
    assert.equal(live.length, 1);
    const [recorded] = await slow.resources("vcda:VmReplication");
    assert.equal(recorded.id, live[0].id);
    assert.equal(recorded.outputs.vmName, "acme-web-02");
    await slow.assertNoChanges();
    await slow.destroy();
    assert.deepEqual(await replicationsOf(vm), []);
  });

  it("refuses two assignments of one org in one program at preview, naming both, before any request", async () => {
    const twice = await stack("own-twice", [
      { type: "vcda:OrgPolicyAssignment", name: "globex-gold", args: { org: "org-globex", policyId: "default" } },
      { type: "vcda:OrgPolicyAssignment", name: "globex-silver", args: { org: "org-globex", policyId: "default" } },
    ]);
    await sims.vcdaAdmin.clearJournal();
    const preview = await twice.preview({ mayFail: true });
    assert.notEqual(preview.code, 0, preview.output);
    assert.match(preview.output, /globex-silver/);
    assert.match(preview.output, /globex-gold/);
    assert.match(preview.output, /org-globex/);
    assert.deepEqual((await sims.vcdaAdmin.journal()).filter((e) => e.mutating), []);
    await twice.writeResources([]);
  });

  it("leaves the org on the other stack's policy when an assignment it replaced is destroyed", async () => {
    const policies = { "own-first": "0a11c0de-0000-4000-8000-0000000000f1", "own-second": "0a11c0de-0000-4000-8000-0000000000f2" };
    const assignments: TestStack[] = [];
    for (const [name, id] of Object.entries(policies)) {
      await sims.vcdaAdmin.call("PUT", `/_admin/vcda/policies/${id}`, policyArgs(`ownership-${name}`));
      assignments.push(await stack(name, [{ type: "vcda:OrgPolicyAssignment", name: "globex", args: { org: "org-globex", policyId: id } }]));
    }
    const [first, second] = assignments;
    await first.up();
    await second.up();
    const secondPolicy = policies["own-second"];
    assert.equal(await policyOfOrg("org-globex"), secondPolicy);

    await first.destroy();
    assert.equal(await policyOfOrg("org-globex"), secondPolicy, "destroying the first stack reset the org under the second");
    await second.destroy();
    assert.equal(await policyOfOrg("org-globex"), "default");
  });

  it("adopts an existing replication only when it matches, lists each difference, and converges it with adoptExisting: \"overwrite\"", async () => {
    const vm = vcdaVmId(2);
    const tenant = createVcdaClient({ url: sims.vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword, insecure: false });
    const existing = await tenant.createReplication(replicationSpec(replicationArgs(vm, 120) as any), "cloud-east");
    const adopter = await stack("own-adopt", [replication("adopted", vm, { adoptExisting: true })]);

    const refused = await adopter.up({ mayFail: true });
    assert.notEqual(refused.code, 0, refused.output);
    assert.match(refused.output, new RegExp(existing.id));
    assert.match(refused.output, /rpo 120 → 60/);
    assert.deepEqual((await replicationsOf(vm)).map((r) => [r.id, r.settings.rpo]), [[existing.id, 120]], "a refused adoption changed the replication");

    await adopter.writeResources([replication("adopted", vm, { adoptExisting: "overwrite" })]);
    await adopter.up();
    assert.deepEqual((await replicationsOf(vm)).map((r) => [r.id, r.settings.rpo]), [[existing.id, 60]]);
    await adopter.assertNoChanges();
    await adopter.destroy();

    assert.deepEqual(await replicationsOf(vm), []);
  });
});
