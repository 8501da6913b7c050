import * as assert from "node:assert";
import { replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../../harness/fixtures";
import { recordFigures } from "../../../harness/figures";
import { OperationOptions, Project, ResourceSpec, RunResult, TestStack } from "../../../harness/engine";
import { allowReplication, Sims, stackConnection, startSims } from "../../../harness/sims";

/**
 * A representative part of the fault matrix through the real engine: a fault during `pulumi up`
 * or `pulumi destroy`, then the same command again with the fault gone must converge, with
 * `preview --expect-no-changes` clean, no duplicate and no draft left behind.
 */
describe("reliability: faults during pulumi up and destroy", function () {
  this.timeout(10 * 60_000);
  const STACK = "faults";
  let sims: Sims;
  let project: TestStack;
  let faultsFired = 0;
  const runs: Array<{ scenario: string; firstRun: "succeeded" | "failed"; converged: boolean }> = [];

  const quickstart = (rpoSeconds: number): ResourceSpec[] => [
    { type: "zerto:Vpg", name: "web-tier", args: vpgArgs("web-tier", [zvmVmId(0), zvmVmId(1), zvmVmId(2)], rpoSeconds) },
    { type: "vcda:VmReplication", name: "acme-web-01", args: replicationArgs(vcdaVmId(0)) },
  ];

  const vpgsNamed = async (name: string) =>
    (await sims.zvmAdmin.call<Array<{ VpgName: string }>>("GET", "/_admin/zvm/vpgs")).filter((v) => v.VpgName === name).length;
  const replicationsOf = async (vmId: string) =>
    Object.values<any>((await sims.vcdaAdmin.call<any>("GET", "/_admin/vcda/state")).replications).filter((r) => r.replication.vmId === vmId).length;
  const drafts = async () => (await sims.zvmAdmin.call<{ count: number }>("GET", "/_admin/zvm/drafts")).count;

  /** Runs `command` under the armed faults, then again without them; the second run must succeed. */
  async function faultThenConverge(scenario: string, command: (options: OperationOptions) => Promise<RunResult>, arm: () => Promise<void>): Promise<void> {
    const record = { scenario, firstRun: "failed" as "succeeded" | "failed", converged: false };
    runs.push(record);
    const before = (await sims.zvmAdmin.faultsFired()) + (await sims.vcdaAdmin.faultsFired());
    await arm();
    const first = await command({ mayFail: true });
    faultsFired += (await sims.zvmAdmin.faultsFired()) + (await sims.vcdaAdmin.faultsFired()) - before;
    await Promise.all([sims.zvmAdmin.clearFaults(), sims.vcdaAdmin.clearFaults()]);
    if (first.code !== 0) {
      // every resource error the engine shows must say what failed, not only where in the code
      const errors = first.output.split("\n").filter((l) => /^\s+error: /.test(l) && !/error: update failed/.test(l));
      assert.ok(errors.length > 0, `the failure shows no error line:\n${first.output}`);
      for (const line of errors) assert.match(line, /(vpg|replication|polic)/i, `an error that does not name the resource:\n${first.output}`);
    }
    record.firstRun = first.code === 0 ? "succeeded" : "failed";
    await command({});
    record.converged = true;
  }

  before(async () => {
    sims = await startSims();
    await allowReplication(sims);
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url);
    project = await (await Project.program()).stack(STACK, config, secrets);
    await project.writeResources(quickstart(300));
  });

  after(async () => {
    recordFigures("engine", { scenarios: runs.length, faultsFired, converged: runs.filter((r) => r.converged).length, runs });
    await project?.destroy({ mayFail: true });
    project?.project.dispose();
    await sims?.close();
  });

  it("pulumi up whose VPG commit and replication create lose their answers converges on the next up", async () => {
    await faultThenConverge("up: connection dropped after commit / after POST /vm-replications", (options) => project.up(options), async () => {
      await sims.zvmAdmin.addFault({ kind: "drop", method: "POST", path: "^/v1/vpgSettings/[^/]+/commit$", times: 1 });
      await sims.vcdaAdmin.addFault({ kind: "drop", method: "POST", path: "^/vm-replications$", times: 1 });
    });
    assert.strictEqual(await vpgsNamed("web-tier"), 1, "exactly one VPG");
    assert.strictEqual(await replicationsOf(vcdaVmId(0)), 1, "exactly one replication of the VM");
    assert.strictEqual(await drafts(), 0);
    await project.preview({ expectNoChanges: true });
  });

  it("pulumi up of a change through a 503 burst with Retry-After converges, and the next preview is empty", async () => {
    await project.writeResources(quickstart(600));
    await faultThenConverge("up (update): 503 burst with Retry-After on every endpoint", (options) => project.up(options), async () => {
      await sims.zvmAdmin.addFault({ kind: "status", status: 503, retryAfterSeconds: 1, path: "^/v1/", times: 3 });
      await sims.vcdaAdmin.addFault({ kind: "status", status: 503, retryAfterSeconds: 1, path: "^/(vm-replications|tasks)", times: 3 });
    });
    await project.assertNoChanges();
    assert.strictEqual(await vpgsNamed("web-tier"), 1);
    assert.strictEqual(await drafts(), 0);
  });

  it("pulumi destroy whose deletes lose their answers, or hit a 500, leaves nothing after the next destroy", async () => {
    await faultThenConverge("destroy: dropped DELETE of the VPG, HTTP 500 on the replication's", (options) => project.destroy(options), async () => {
      await sims.zvmAdmin.addFault({ kind: "drop", method: "DELETE", path: "^/v1/vpgs/[^/]+$", times: 1 });
      await sims.vcdaAdmin.addFault({ kind: "status", status: 500, method: "DELETE", path: "^/vm-replications/[^/]+$", times: 1 });
    });
    assert.strictEqual(await vpgsNamed("web-tier"), 0, "the VPG outlived destroy");
    assert.strictEqual(await replicationsOf(vcdaVmId(0)), 0, "the replication outlived destroy");
    assert.strictEqual(await drafts(), 0);
    const exported = await project.stack.exportStack();
    assert.deepStrictEqual((exported.deployment.resources ?? []).filter(
(r: any) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:")), []);
  });
});
