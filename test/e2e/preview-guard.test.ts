/**
 * What a DR reviewer relies on in a preview, through the real CLI: a change that deletes protection
 * first is refused unless opted in (and then keeps the replica disks), a failover, pause or other
 * state change made outside Pulumi fails the drift check with the state named, and previews carry
 * no noise (no unknown ids on dependents, no unknown outputs, no diff for reordered VMs).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startVcdaSimulator, startZvmSimulator, VcdaSimulator, ZvmSimulator } from "../../simulator";
import { SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, clearJournal, exampleStack, mutatingRequests, replace, simRequest, skipRestAfterFailure, tearDown } from "./support";
import { inventoryWithSecondPeerSite, MOVE_TO_SITE_C, SITE_B, SITE_C } from "./secondSite";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Site-B's name with two letters swapped: a typo, not a paired site. */
const TYPO_SITE = "Site-B RD";

/** Noise a reviewer would have to learn to ignore in a preview with nothing to do. */
function assertQuiet(output: string): void {
  assert.doesNotMatch(output, /\[unknown\]|output<string>|\bdrift\b/, output);
  assert.doesNotMatch(output, /\{\s*\}/, `empty block in:\n${output}`);
}

describe("e2e: a Zerto VPG preview a DR reviewer can approve (examples/quickstart)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let project: TestStack;
  let vpgId: string;
  const vpgs = async (): Promise<Array<{ VpgIdentifier: string; SubStatus: number }>> => (await simRequest(zvm.url, "GET", "/_admin/zvm/vpgs")).body;

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await exampleStack("quickstart");
    zvm = await startZvmSimulator({ taskPolls: 1, initializingMs: 1_000, inventoryFile: inventoryWithSecondPeerSite(project.project.root) });
    await project.setConfig({ "zerto:url": zvm.url, "zerto:username": "admin", "zerto:authMode": "session" }, { "zerto:password": "zerto-sim-password" });
    await project.up();
    vpgId = (await project.outputs()).vpgId;
    zvm.clock.advance(60_000);
    await project.refresh();
  });

  after(() => tearDown([project], [zvm]));

  it("previews no change without unknown outputs, drift fields or empty blocks", async () => {
    const preview = await project.preview({ diff: true, expectNoChanges: true });
    assertQuiet(preview.output);
  });

  it("shows no diff for VMs listed in another order, in preview, up or refresh, nor next to real drift", async () => {
    await project.setConfig({ vms: ["app-01", "web-01", "web-02"] });
    await project.assertNoChanges();
    const up = await project.up();
    assert.doesNotMatch(up.output, /diff:|updated/);
    await project.assertNoChanges();
    // the engine lists every input whose stored text differs: the reordered VMs must not be among them
    assert.equal((await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { RpoInSeconds: 900 })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only"]);
    assert.match(refresh.output, /\[diff: ~rpoSeconds\]/);
    const repair = await project.up({ refresh: true });
    assert.match(repair.output, /zerto:Vpg web-tier updated \([^)]*\) \[diff: ~rpoSeconds\]/);
    await project.assertNoChanges();
  });

  it("refuses at preview a recovery-site typo, naming the close site, before any request that changes anything", async () => {
    await clearJournal(zvm.url);
    await project.setConfig({ recoverySite: TYPO_SITE });
    const preview = await project.run(["preview", "--diff"]);
    assert.equal(preview.code, 1, preview.output);
    // the program's look-up finds no site of that name before the replace is even planned
    assert.match(preview.output, /Zerto site 'Site-B RD' was not found among the ZVM's own and paired sites\. Did you mean 'Site-B DR'\?/);
    const up = await project.up({ mayFail: true });
    assert.notEqual(up.code, 0, up.output);
    assert.deepEqual(await mutatingRequests(zvm.url), []);
    assert.deepEqual((await vpgs()).map((v) => v.VpgIdentifier), [vpgId]);
  });

  it("refuses at preview a change of recovery site that would replace the VPG, unless the resource opts in", async () => {
    await clearJournal(zvm.url);
    await project.setConfig({
      ...MOVE_TO_SITE_C,
    });
    const preview = await project.run(["preview", "--diff"]);
    assert.equal(preview.code, 1, preview.output);
    assert.match(preview.output, new RegExp(`replaces it \\(recoverySiteId ${SITE_B} → ${SITE_C}\\)`));
    assert.match(preview.output, /DELETES the protection FIRST .* VM\(s\) have no replica to recover from/);
    assert.match(preview.output, /allowProtectionGapOnReplace: true/);
    fs.writeFileSync(path.join(project.project.root, "refused-preview.txt"), preview.output);
    if (process.env.DRPROTECT_E2E_LOG) process.stderr.write(`REFUSED PREVIEW:\n${preview.output}\n`);
    const up = await project.up({ mayFail: true });
    assert.notEqual(up.code, 0, up.output);
    assert.deepEqual(await mutatingRequests(zvm.url), []);
    assert.deepEqual((await vpgs()).map((v) => v.VpgIdentifier), [vpgId]);
  });

  it("replaces the VPG with allowProtectionGapOnReplace and keeps the old VPG's recovery volumes", async () => {
    await clearJournal(zvm.url);
    await replace(project, {
      ...MOVE_TO_SITE_C,
      allowProtectionGapOnReplace: true,
    });
    const { body: journal } = await simRequest(zvm.url, "GET", "/_admin/journal");
    const deletes = journal.filter((e: any) => e.method === "DELETE" && e.path.toLowerCase() === `/v1/vpgs/${vpgId}`.toLowerCase());
    assert.equal(deletes.length, 1, JSON.stringify(journal.map((e: any) => `${e.method} ${e.path}`)));
    assert.equal(deletes[0].body.KeepRecoveryVolumes, true);
    const [vpg] = await vpgs();
    assert.notEqual(vpg.VpgIdentifier, vpgId);
    vpgId = vpg.VpgIdentifier;
    zvm.clock.advance(60_000);
    await project.refresh();
    await project.assertNoChanges();
  });

  it("fails the drift check on a VPG paused outside Pulumi, naming protectionState, and up neither deletes nor re-creates it", async () => {
    assert.equal((await simRequest(zvm.url, "PUT", `/_admin/zvm/vpgs/${vpgId}/operation`, { operation: "pause" })).status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /protectionState\s*:\s*"protected"\s*=>\s*"paused"/);
    assert.doesNotMatch(refresh.output, /replace/);
    const preview = await assertDrift(project, ["preview", "--refresh", "--diff"]);
    assert.match(preview.output, /protectionState/);
    assert.doesNotMatch(preview.output, /replace/);

    await clearJournal(zvm.url);
    await project.up();
    const up = await project.up({ refresh: true, mayFail: true });
    assert.notEqual(up.code, 0, "up --refresh accepted a paused VPG as protected");
    assert.match(up.output, /as paused .*the program expects protected.*does not delete or re-create/s);
    // refresh reads the definition through an edit draft it discards; nothing may be committed or deleted
    const changes = (await mutatingRequests(zvm.url)).filter((e) => !/^\/v1\/vpgSettings(\/[^/]+)?$/i.test(e.path));
    assert.deepEqual(changes, []);
    assert.deepEqual((await vpgs()).map((v) => v.VpgIdentifier), [vpgId]);
  });

  it("is clean again once the VPG is resumed", async () => {
    assert.equal((await simRequest(zvm.url, "PUT", `/_admin/zvm/vpgs/${vpgId}/operation`, { operation: null })).status, 200);
    await project.refresh();
    await project.assertNoChanges();
  });
});

describe("e2e: a VCDA preview a DR reviewer can approve (examples/vcda-tenant, examples/vcda-provider)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let tenant: TestStack;
  let provider: TestStack;
  let replicationId: string;
  const replicationIds = async (): Promise<string[]> => Object.keys((await simRequest(vcda.url, "GET", "/_admin/vcda/state")).body.replications);

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    provider = await exampleStack("vcda-provider");
    await provider.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" }, { "vcda:password": "vcda-sim-vcd-password" });
    await provider.up();
    tenant = await exampleStack("vcda-tenant");
    await tenant.setConfig({ "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "admin@org-acme" }, { "vcda:password": "vcda-sim-tenant-password" });
    await tenant.up();
    [replicationId] = (await tenant.outputs()).replicationIds;
  });

  after(() => tearDown([tenant, provider], [vcda]));

  it("previews no change without unknown outputs, drift fields or empty blocks", async () => {
    assertQuiet((await tenant.preview({ diff: true, expectNoChanges: true })).output);
    assertQuiet((await provider.preview({ diff: true, expectNoChanges: true })).output);
  });

  it("previews a policy update with the assignment's policyId known and the assignment unchanged", async () => {
    await provider.setConfig({ minRpo: 45 });
    const preview = await provider.runOk(["preview", "--json", "--show-sames"]);
    const steps: any[] = JSON.parse(preview.stdout).steps;
    const assignments = steps.filter((s) => String(s.urn).includes("OrgPolicyAssignment"));
    assert.ok(assignments.length > 0);
    for (const step of assignments) {
      assert.equal(step.op, "same", JSON.stringify(step));
      assert.ok(!JSON.stringify(step).includes(UNKNOWN), JSON.stringify(step));
    }
    assert.equal(steps.find((s) => String(s.urn).includes("ReplicationPolicy")).op, "update");
    const text = await provider.preview({ diff: true });
    assert.doesNotMatch(text.output, /policyId.*\[unknown\]|policyId.*output</);
    await provider.up();
  });

  it("refuses at preview a storage-profile change that would replace the replication, before any request that changes anything", async () => {
    await clearJournal(vcda.url);
    await tenant.setConfig({ storageProfile: "Silver-HDD" });
    const preview = await tenant.preview({ mayFail: true });
    assert.notEqual(preview.code, 0, preview.output);
    assert.match(preview.output, /replaces it \(destination\.storageProfile \S+ → 04632514-b19a-4be6-8200-90d2c26c3908\)/);
    assert.match(preview.output, /DELETES the protection FIRST/);
    assert.deepEqual(await mutatingRequests(vcda.url), []);
    await tenant.removeConfig("storageProfile");
    await tenant.assertNoChanges();
  });

  it("fails the drift check on a replication failed over outside Pulumi, naming replicationState, and up neither deletes nor re-creates it", async () => {
    assert.equal((await simRequest(vcda.url, "POST", `/_admin/vcda/replications/${replicationId}/failover`)).status, 200);
    const refresh = await assertDrift(tenant, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /replicationState\s*:\s*"replicating"\s*=>\s*"failedOver"/);
    const preview = await assertDrift(tenant, ["preview", "--refresh", "--diff"]);
    assert.match(preview.output, /replicationState/);
    assert.doesNotMatch(preview.output, /replace/);

    await clearJournal(vcda.url);
    await tenant.up();
    const up = await tenant.up({ refresh: true, mayFail: true })
;
    assert.notEqual(up.code, 0, "up --refresh accepted a failed-over replication as replicating");
    assert.match(up.output, /as failedOver, the program expects replicating/);
    assert.deepEqual(await mutatingRequests(vcda.url), []);
    assert.deepEqual(await replicationIds(), [replicationId]);
  });
});
