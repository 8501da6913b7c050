import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { vpgArgs, zvmVmId } from "../../harness/fixtures";
import { SimAdmin } from "../../harness/admin";
import { CREDENTIALS } from "../../harness/sims";
import { Project, RunResult, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { eventually } from "./support";

/**
 * Ownership after uncertainty, through the real engine: each case is a stack (or two) on its own
 * file backend against one ZVM simulator, and the simulator reproduces the uncertain outcome.
 */

interface SimVpg {
  VpgIdentifier: string;
  VpgName: string;
  Definition: { Basic: { RpoInSeconds: number }; Vms: Array<{ VmIdentifier: string }> };
}

const STACK = "own";
const vmsOf = (vpg: SimVpg) => vpg.Definition.Vms.map((v) => v.VmIdentifier).sort();

async function startZvm(): Promise<{ zvm: ZvmSimulator; admin: SimAdmin }> {
  const zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 50, initializingMs: 50 });
  return { zvm, admin: new SimAdmin(zvm.url) };
}

/** A project with one stack holding one VPG, connected to the simulator through stack config. */
async function stackWith(zvmUrl: string, args: Record<string, unknown>, env: Record<string, string> = {}): Promise<TestStack> {
  const project = await Project.program();
  project.extraEnv = env;
  const stack = await project.stack(STACK,
    { "zerto:url": zvmUrl, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser },
    { "zerto:password": CREDENTIALS.zvmPassword });
  await declare(stack, args);
  return stack;
}

function declare(stack: TestStack, args: Record<string, unknown>): Promise<void> {
  return stack.writeResources([{ type: "zerto:Vpg", name: "payroll", args }]);
}

const up = (stack: TestStack) => stack.up({ mayFail: true });
const destroy = (stack: TestStack) => stack.destroy({ mayFail: true });

/** The VPG ids the stack holds. */
async function stackVpgIds(stack: TestStack): Promise<string[]> {
  return (await stack.resources("zerto:Vpg")).map((r) => r.id);
}

async function vpgsNamed(admin: SimAdmin, name: string): Promise<SimVpg[]> {
  return (await admin.call<SimVpg[]>("GET", "/_admin/zvm/vpgs")).filter((v) => v.VpgName === name);
}

function assertExit(result: RunResult, code: "ok" | "failed", what: string): void {
  if (code === "ok") assert.equal(result.code, 0, `${what} failed:\n${result.output.slice(-3000)}`);
  else assert.notEqual(result.code, 0, `${what} succeeded:\n${result.output.slice(-3000)}`);
}

describe("e2e: Zerto VPG ownership after uncertain outcomes", function () {
  this.timeout(5 * 60_000);
  let zvm: ZvmSimulator;
  let admin: SimAdmin;
  const stacks: TestStack[] = [];
  const track = (stack: TestStack) => (stacks.push(stack), stack);

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    ({ zvm, admin } = await startZvm());
    // installs the package once, so the timed cases below do not pay for it
    track(await (await Project.program()).stack(STACK));
  });

  afterEach(async () => {
    for (const stack of stacks.splice(0)) {
      await destroy(stack).catch(() => undefined);
      stack.project.dispose();
    }
    await admin.call("DELETE", "/_admin/zvm/task-faults");
    await admin.clearFaults();
    await admin.call("POST", "/_admin/zvm/reset");
  });

  after(async () => {
    await zvm?.close();
  });

  it("two stacks racing one name: each ends with only its own VPG, the loser fails clearly and never touches the winner's", async () => {
    const a = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(0)])));
    const b = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(1)])));
    // both commits are in before either task ends: both stacks saw no VPG of that name
    await admin.call("POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 20_000, times: 2 });
    const [ra, rb] = await Promise.all([up(a), up(b)]);
    assert.equal([ra, rb].filter((r) => r.code === 0).length, 1, `exactly one stack wins:\n${ra.output.slice(-2000)}\n${rb.output.slice(-2000)}`);
    const [winner, loser, lost] = ra.code === 0 ? [a, b, rb] : [b, a, ra];
    const [vpg] = await vpgsNamed(admin, "payroll");
    const winnerVms = vmsOf(vpg);

    assert.match(lost.output, /Zerto rejected VPG 'payroll': A VPG named 'payroll' already exists/);
    assert.match(lost.output, new RegExp(`Zerto VPG 'payroll' exists \\(${vpg.VpgIdentifier}\\) but this operation cannot prove it made it`));
    assert.deepEqual(await stackVpgIds(winner), [vpg.VpgIdentifier]);
    assert.deepEqual(await stackVpgIds(loser), [], "the loser recorded nothing");

    assertExit(await up(loser), "failed", "the loser's second up");
    assertExit(await destroy(loser), "ok", "the loser's destroy");
    const after = await vpgsNamed(admin, "payroll");
    assert.deepEqual(after.map((v) => [v.VpgIdentifier, vmsOf(v)]), [[vpg.VpgIdentifier, winnerVms]], "the winner's VPG is untouched");
  });

  it("a create task outliving the timeout is recorded as pending; the next up converges and destroy leaves nothing", async () => {
    const project = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(2)]), { ZERTO_TASK_TIMEOUT_SECONDS: "3" }));
    await admin.call("POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 9_000 });
    const first = await up(project);
    assertExit(first, "failed", "the first up");
    assert.match(first.output, /Zerto is still creating VPG 'payroll' \(ZVM task .*\) after the task timeout/);
    const vpg = await eventually(async () => (await vpgsNamed(admin, "payroll"))[0], "the VPG to appear");

    assert.ok((await stackVpgIds(project)).every((id) => id.startsWith("pending-create-task:")), "the stack holds the pending id");
    assertExit(await up(project), "ok", "the next up");
    assert.equal((await project.outputs()).idOutputs.payroll, vpg.VpgIdentifier, "the next up gives vpgId the VPG's own id");
    await project.preview({ expectNoChanges: true });
    await project.refresh();
    assert.deepEqual(await stackVpgIds(project), [vpg.VpgIdentifier], "refresh gives the stack the VPG's own id");
    await project.preview({ expectNoChanges: true });

    assertExit(await destroy(project), "ok", "destroy");
    assert.deepEqual(await vpgsNamed(admin, "payroll"), []);
  });

  it("a destroy right after a create recorded as pending, once its task finished, deletes the VPG and exits 0", async () => {
    const project = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(3)]), { ZERTO_TASK_TIMEOUT_SECONDS: "3" }));
    await admin.call("POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 6_000 });
    assertExit(await up(project), "failed", "the first up");
    assert.ok((await stackVpgIds(project)).every((id) => id.startsWith("pending-create-task:")), "the stack holds the pending id");
    await eventually(async () => (await vpgsNamed(admin, "payroll"))[0], "the VPG to appear");
    assertExit(await destroy(project), "ok", "destroy right after the pending create");
    assert.deepEqual(await vpgsNamed(admin, "payroll"), []);
  });

  it("adoptExisting on a differing VPG is refused with the differences, and converges only with \"overwrite\"", async () => {
    const owner = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(4)], 600)));
    await owner.up();
    const [before] = await vpgsNamed(admin, "payroll");

    const adopter = track(await stackWith(zvm.url, { ...vpgArgs("payroll", [zvmVmId(8)], 900), adoptExisting: true }));
    const refused = await up(adopter);
    assertExit(refused, "failed", "adoption of a differing VPG");
    assert.match(refused.output, /differs from this declaration: /);
    assert.match(refused.output, /vms −\S*vm-105 \+\S*vm-109/);
    assert.match(refused.output, /rpoSeconds 600 → 900/);
    const [untouched] = await vpgsNamed(admin, "payroll");
    assert.deepEqual([untouched.Definition.Basic.RpoInSeconds, vmsOf(untouched)], [600, vmsOf(before)], "nothing was changed");
    assert.deepEqual(await stackVpgIds(adopter), []);

    await declare(adopter, { ...vpgArgs("payroll", [zvmVmId(8)], 900), adoptExisting: "overwrite" });
    await adopter.up();
    const [adopted] = await vpgsNamed(admin, "payroll");
    assert.equal(adopted.VpgIdentifier, before.VpgIdentifier);
    assert.deepEqual([adopted.Definition.Basic.RpoInSeconds, vmsOf(adopted)], [900, [zvmVmId(8)]]);
    await adopter.preview({ expectNoChanges: true });
  });

  it("a lost answer to DELETE, repeated and refused as a 5xx 'already being deleted', converges by reading the VPG", async () => {
    const project = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(3)])));
    await project.up();
    await admin.call("POST", "/_admin/zvm/already-deleting-status", { status: 500 });
    await admin.addFault({ kind: "drop", method: "DELETE", path: "^/v1/vpgs/[^/]+$", times: 1 });

    assertExit(await destroy(project), "ok", "destroy after a lost DELETE answer");
    assert.deepEqual(await vpgsNamed(admin, "payroll"), []);
    assert.deepEqual(await stackVpgIds(project), []);
    assertExit(await destroy(project), "ok", "a second destroy");
  });

  for (const crash of ["the CLI (its provider process lives on)", "the CLI and its provider process"]) {
    it(`kill -9 of ${crash} right after the commit: the documented recovery commands (docs/recovering.md) converge without editing the program`, async () => {
      const project = track(await stackWith(zvm.url, vpgArgs("payroll", [zvmVmId(5)])));
      await admin.call("POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 8_000 });
      const since = zvm.journal.lastSeq();
      await killAfterCommit(project, () => zvm.journal.list(since).some((e) => e.method === "POST" && /\/commit$/.test(e.path) && e.status === 200));
      const providerLivesOn = crash.includes("lives on");
      if (!providerLivesOn) killProcessesOf(project);
      const vpg = await eventually(async () => (await vpgsNamed(admin, "payroll"))[0], "the VPG to appear");
      if (providerLivesOn) {
        // the engine starts plugins in their own process group: the killed CLI's provider finishes the create on its own
        const readBack = () => zvm.journal.list(since).some((e) => e.method === "GET" && e.path === `/v1/vpgs/${vpg.VpgIdentifier}` && e.status === 200);
        await eventually(async () => (readBack() && zvm.liveDrafts() === 0 ? true : undefined), "the orphaned provider to finish the create");
        killProcessesOf(project);
      }

      for (const command of RECOVERY) await project.run(command);
      assertExit(await up(project), "ok", "up after the recovery commands");
      assert.deepEqual(await stackVpgIds(project), [vpg.VpgIdentifier]);
      assert.equal((await vpgsNamed(admin, "payroll")).length, 1);
      await project.preview({ expectNoChanges: true });
      assertExit(await destroy(project), "ok", "destroy");
      assert.deepEqual(await vpgsNamed(admin, "payroll"), []);
      assert.deepEqual(fs.readdirSync(path.join(project.project.home, "drprotect", "zerto-creates")), [], "no record of the create is left");
    });
  }
});

/** docs/recovering.md's commands, before the final `pulumi up`. */
const RECOVERY = [
  ["cancel", "--yes"],
  ["refresh", "--clear-pending-creates", "--yes", "--skip-preview"],
];

/** Kills (by pid) the processes started for this project that outlived their CLI, found by their PULUMI_HOME (Linux /proc). */
function killProcessesOf(stack: TestStack): void {
  const marker = `PULUMI_HOME=${stack.project.home}\0`;
  for (const pid of fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let environ = "";
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(marker)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Starts `pulumi up` (in its own process group) and kills the whole group (-9) once `committed()` holds. */
async function killAfterCommit(stack: TestStack, committed: () => boolean): Promise<void> {
  let group = 0;
  const exited = stack.run(["up", "--yes", "--skip-preview"], { onStart: (pid) => (group = pid) });
  try {
    await eventually(async () => (committed() ? true : undefined), "the commit", 120_000);
  } finally {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await exited;
}
