import * as assert from "node:assert/strict";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { vpgArgs, zvmVmId } from "../../harness/fixtures";
import { CREDENTIALS } from "../../harness/sims";
import { Project, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { assertDrift, simRequest, skipRestAfterFailure, tearDown } from "./support";

/**
 * The VPG refresh through the real engine: by default read-only at the ZVM (the VPG summary and the
 * Protected VMs API), with per-VM status in the outputs; zerto:refreshMode full for what only an
 * edit draft shows. waitForSla makes `up` return once the VPG meets its SLA.
 */
describe("e2e: Zerto VPG refresh (read-only by default) and per-VM status", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let zvm: ZvmSimulator;
  let stack: TestStack;
  let vpgId: string;
  const vms = [zvmVmId(0), zvmVmId(1)];

  const vpgResource = async () => {
    const [vpg] = await stack.resources("zerto:Vpg");
    return vpg;
  };
  /** What the ZVM received since `seq`, logins apart. */
  const requestsSince = (seq: number) => zvm.journal.list(seq).filter((e) => !/session\/add|openid-connect/i.test(e.path));

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 50, initializingMs: 1500 });
    const project = await Project.program();
    stack = await project.stack("refresh",
      { "zerto:url": zvm.url, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser },
      { "zerto:password": CREDENTIALS.zvmPassword });
    await stack.writeResources([{ type: "zerto:Vpg", name: "payroll", args: { ...vpgArgs("payroll", vms), waitForSla: true } }]);
  });

  after(() => tearDown([stack], [zvm]));

  it("up with waitForSla returns once the VPG meets its SLA, with each VM's status", async () => {
    await stack.up();
    const vpg = await vpgResource();
    vpgId = vpg.id;
    assert.equal(vpg.outputs.status, "MeetingSLA");
    assert.deepEqual(vpg.outputs.protectedVms.map((vm: any) => [vm.vmId, vm.status]), vms.sort().map((id) => [id, "MeetingSLA"]));
  });

  it("a default refresh sends only GET requests, none that changes server state, and keeps per-VM status filled", async () => {
    const seq = zvm.journal.lastSeq();
    await stack.refresh({ expectNoChanges: true });
    const requests = requestsSince(seq);
    assert.deepEqual([...new Set(requests.map((e) => e.method))], ["GET"], requests.map((e) => `${e.method} ${e.path}`).join("\n"));
    assert.deepEqual(requests.filter((e) => e.mutating), []);
    assert.ok(!requests.some((e) => /vpgSettings/i.test(e.path)), "no draft is opened");
    const vpg = await vpgResource();
    assert.equal(vpg.outputs.actualRpoSeconds, 7);
    for (const vm of vpg.outputs.protectedVms) {
      assert.equal(vm.status, "MeetingSLA");
      assert.equal(vm.actualRpoSeconds, 7);
      assert.ok(vm.journalUsedMb > 0, JSON.stringify(vm));
      assert.ok(vm.name, JSON.stringify(vm));
    }
  });

  it("finds nothing to change in a preview or a refresh preview", () => stack.assertNoChanges());

  it("sees an out-of-band RPO change in the default refresh", async () => {
    assert.equal((await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { RpoInSeconds: 900 })).status, 200);
    const seq = zvm.journal.lastSeq();
    const refresh = await assertDrift(stack, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /rpoSeconds/);
    assert.deepEqual(requestsSince(seq).filter((e) => e.mutating), []);
    await stack.up({ refresh: true });
    await stack.assertNoChanges();
  });

  it("sees an out-of-band WAN-compression change only in a full refresh (ZERTO_REFRESH_MODE=full), which discards its draft", async () => {
    assert.equal((await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { UseWanCompression: false })).status, 200);
    await stack.assertNoChanges();
    stack.project.extraEnv = { ZERTO_REFRESH_MODE: "full" };
    try {
      const refresh = await assertDrift(stack, ["refresh", "--preview-only", "--diff"]);
      assert.match(refresh.output, /useWanCompression/);
      await stack.up({ refresh: true });
      await stack.assertNoChanges();
    } finally {
      stack.project.extraEnv = {};
    }
    assert.equal(zvm.liveDrafts(), 0, "the full read discards its draft");
  });

  it("takes zerto:refreshMode full from stack config once an up has recorded it", async () => {
    await stack.setConfig({ "zerto:refreshMode": "full" });
    await stack.up();
    assert.equal((await simRequest(zvm.url, "PATCH", `/_admin/zvm/vpgs/${vpgId}`, { UseWanCompression: false })).status, 200);
    const refresh = await assertDrift(stack, ["refresh", "--preview-only", "--diff"]);
    assert.match(refresh.output, /useWanCompression/);
    await stack.up({ refresh: true });
    await stack.removeConfig("zerto:refreshMode");
  });

  it("destroys the VPG", async () => {
    await stack.destroy();
    assert.deepEqual((await simRequest(zvm.url, "GET", "/_admin/zvm/vpgs")).body, []);
  });
});
