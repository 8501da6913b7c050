import * as assert from "node:assert/strict";
import { startZvmSimulator, ZvmSimulator } from "../../simulator";
import { SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, assertRejectedAtPreview, dropAndRecreate, exampleStack, replace, simRequest, skipRestAfterFailure, tearDown, updateInPlace } from "./support";
import { inventoryWithSecondPeerSite, MOVE_TO_SITE_C, SITE_C } from "./secondSite";

const PASSWORD = "zerto-sim-password";
/** The protected site's vCenter, and the two recovery sites' vCenters (Site-C is added below). */
const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const vm = (n: number) => `${PROTECTED_VC}.vm-${n}`;

interface SimVpg {
  VpgIdentifier: string;
  VpgName: string;
  Definition: { Basic: { RpoInSeconds: number; RecoverySiteIdentifier: string }; Vms: Array<{ VmIdentifier: string }> };
}

describe("e2e: Zerto VPG through the Pulumi CLI (examples/quickstart)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let project: TestStack;
  let vpgId: string;
  /** What `up --refresh` printed when it repaired the out-of-band RPO change. */
  let repairOutput = "";

  const simVpgs = async (): Promise<SimVpg[]> => (await simRequest(zvm.url, "GET", "/_admin/zvm/vpgs")).body;
  const onlyVpg = async (): Promise<SimVpg> => {
    const vpgs = await simVpgs();
    assert.equal(vpgs.length, 1, `expected one VPG on the ZVM, found ${vpgs.map((v) => v.VpgName).join(", ") || "none"}`);
    return vpgs[0];
  };
  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    project = await exampleStack("quickstart");
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 200, initializingMs: 30_000, inventoryFile: inventoryWithSecondPeerSite(project.project.root) });
    await project.setConfig({ "zerto:url": zvm.url, "zerto:username": "admin", "zerto:authMode": "session" }, { "zerto:password": PASSWORD });
  });

  after(() => tearDown([project], [zvm]));

  it("creates the VPG with its three VMs", async () => {
    await project.up();
    const outputs = await project.outputs();
    const vpg = await onlyVpg();
    vpgId = outputs.vpgId;
    assert.equal(vpg.VpgIdentifier, vpgId);
    assert.equal(vpg.VpgName, "web-tier");
    assert.equal(vpg.Definition.Basic.RpoInSeconds, 300);
    assert.deepEqual(vpg.Definition.Vms.map((v) => v.VmIdentifier).sort(), [vm(101), vm(102), vm(103)]);
    assert.equal(outputs.protectedVms, 3);
    assert.equal(outputs.recoverySiteName, "Site-B DR", "the program found the site, the VMs and the recovery objects by name");
    assert.equal(outputs.status, "Initializing");
    assert.equal(zvm.liveDrafts(), 0);
  });

  it("finds nothing to change in a second preview or a refresh", () => project.assertNoChanges());

  it("does not count the end of the initial sync as drift, and refresh records the new status", async () => {
    zvm.clock.advance(60_000);
    await project.assertNoChanges();
    await project.refresh();
    const [vpg] = await project.resources("zerto:Vpg");
    assert.equal(vpg.outputs.status, "MeetingSLA");
  });

  it("reports an out-of-band RPO change as drift naming rpoSeconds", async () => {
    const patched = await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { RpoInSeconds: 900 });
    assert.equal(patched.status, 200);
    const refresh = await assertDrift(project, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /rpoSeconds/);
    assert.match(refresh.output, /900/);
  });

  it("plans an in-place update of rpoSeconds on preview --refresh", async () => {
    const preview = await project.preview({ refresh: true, diff: true });
    assert.match(preview.output, /~ pulumi-nodejs:dynamic\/zerto:Vpg: \(update\)|~\s+.*zerto:Vpg\s+web-tier\s+update/);
    assert.match(preview.output, /rpoSeconds/);
    assert.doesNotMatch(preview.output, /replace/);
  });

  it("puts the RPO back with up --refresh, after which all is clean again", async () => {
    repairOutput = (await project.up({ refresh: true })).output;
    assert.equal((await onlyVpg()).Definition.Basic.RpoInSeconds, 300);
    await project.assertNoChanges();
  });

  it("updates the VPG in place when the program changes rpoSeconds", async () => {
    await updateInPlace(project, { rpoSeconds: 600 });
    const vpg = await onlyVpg();
    assert.equal(vpg.VpgIdentifier, vpgId, "same VPG");
    assert.equal(vpg.Definition.Basic.RpoInSeconds, 600);
    await project.assertNoChanges();
  });

  it("adds a VM in place", async () => {
    await updateInPlace(project, { vms: ["web-01", "web-02", "app-01", "app-02"] });
    const vpg = await onlyVpg();
    assert.equal(vpg.VpgIdentifier, vpgId);
    assert.deepEqual(vpg.Definition.Vms.map((v) => v.VmIdentifier).sort(), [vm(101), vm(102), vm(103), vm(104)]);
    assert.equal((await project.outputs()).protectedVms, 4);
  });

  it("removes VMs in place", async () => {
    await project.setConfig({ vms: ["web-01", "app-02"] });
    await project.up();
    const vpg = await onlyVpg();
    assert.equal(vpg.VpgIdentifier, vpgId);
    assert.deepEqual(vpg.Definition.Vms.map((v) => v.VmIdentifier).sort(), [vm(101), vm(104)]);
    await project.assertNoChanges();
  });

  it("replaces the VPG when the recovery site changes", async () => {
    await replace(project, {
      ...MOVE_TO_SITE_C,
      allowProtectionGapOnReplace: true,
    });
    const vpg = await onlyVpg();
    assert.notEqual(vpg.VpgIdentifier, vpgId, "a new VPG");
    assert.equal(vpg.Definition.Basic.RecoverySiteIdentifier, SITE_C);
    vpgId = vpg.VpgIdentifier;
    assert.equal((await project.outputs()).vpgId, vpgId);
    assert.equal(zvm.liveDrafts(), 0);
    await project.assertNoChanges();
  });

  it("rejects an RPO below the minimum at preview, naming the property and the rule, before any API call", async () => {
    await assertRejectedAtPreview(project, zvm.url, { rpoSeconds: 5 }, [/rpoSeconds/, />= 60|at least 60|minimum/], { rpoSeconds: 600 });
  });

  it("drops a VPG deleted out of band on refresh and recreates it on up", async () => {
    assert.equal((await simRequest(zvm.url, "DELETE", `/_admin/zvm/vpgs/${vpgId}`)).status, 204);
    await dropAndRecreate(project, "zerto:Vpg");
    const vpg = await onlyVpg();
    assert.notEqual(vpg.VpgIdentifier, vpgId);
    assert.equal(vpg.Definition.Basic.RpoInSeconds, 600);
    assert.equal((await project.outputs()).vpgId, vpg.VpgIdentifier);
    await project.assertNoChanges();
  });

  it("keeps credentials out of state and CLI output", async () => {
    assert.ok(!project.backendText().includes(PASSWORD), "the backend holds the password in clear");
    const leaks = project.project.transcript.filter((text) => text.includes(PASSWORD));
    assert.deepEqual(leaks, []);
  });

  it("stores as provider code only a require of the installed package's delegate module, under 2 KB", async () => {
    const [vpg] = await project.resources("zerto:Vpg");
    const code: string = vpg.inputs.__provider;
    const required = new Set([...code.matchAll(/\brequire\(([^)]*)\)/g)].map((m) => m[1]));
    assert.deepEqual([...required], ['"pulumi-drprotect/dist/provider/delegates/vpg.js"']);
    assert.ok(code.length < 2048, `${code.length} characters of provider code per resource`);
  });

  it("destroys everything it created and leaves no vpgSettings draft", async () => {
    await project.destroy();
    assert.deepEqual(await simVpgs(), []);
    const drafts = await simRequest(zvm.url, "GET", "/_admin/zvm/drafts");
    assert.equal(drafts.body.count, 0);
    assert.deepEqual(await project.resources("zerto:Vpg"), []);
  });

  // Last, so that a failure here does not hide the rest of the cycle.
  it("changed only the drifted property when up --refresh repaired it", () => {
    assert.match(repairOutput, /zerto:Vpg web-tier updated \([^)]*\) \[diff: ~rpoSeconds\]/);
  });
});
