import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { dump as dumpYaml } from "js-yaml";
import { drillTargets } from "../../cli/drill/plan";
import type { DrillTarget, FailoverTestDriver } from "../../provider/failoverTest";
import { createVcdaClient } from "../../provider/vcda/client";
import { createVcdaFailoverTestDriver } from "../../provider/vcda/failoverTest";
import { createZertoClient } from "../../provider/zerto/client";
import { createZertoFailoverTestDriver } from "../../provider/zerto/failoverTest";
import { Project, RunResult, runProcess, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../harness/fixtures";
import { allowReplication, connectionEnv, CREDENTIALS, freePort, Sims, stackConnection, startSims } from "../../harness/sims";
import { eventually, skipRestAfterFailure, tearDown } from "./support";


/**
 * `pulumi-drprotect drill` through the real CLI against the simulators: a stack with two VPGs and a
 * VCDA replication is drilled with checks reaching the test VMs on
 * 127.0.0.1; tests never stay running, whatever ends the drill.
 */
describe("e2e: drill (failover tests from the stack, with evidence)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  const vms = [zvmVmId(0), zvmVmId(1), zvmVmId(2)];
  let sims: Sims;
  let stack: TestStack;
  let targets: DrillTarget[];
  const ports: number[] = [];
  let zertoDriver: FailoverTestDriver;
  let vcdaDriver: FailoverTestDriver;

  const driverOf = (t: DrillTarget) => (t.type.includes(":zerto:") ? zertoDriver : vcdaDriver);
  const drill = (args: string[], onStart?: (pid: number) => void): Promise<RunResult> =>
    runProcess(path.join(stack.project.dir, "node_modules", ".bin", "pulumi-drprotect"), ["drill", "--stack", stack.name, ...args],
      { cwd: stack.project.dir, env: { ...stack.cliEnv(), ...connectionEnv(sims) }, onStart });
  const running = async () => {
    const flags = await Promise.all(targets.map(async (t) => [t.name, await driverOf(t).testRunning(t)] as const));
    return flags.filter(([, on]) => on).map(([name]) => name);
  };
  const writeDrillFile = (file: string, content: unknown) =>
    fs.writeFileSync(path.join(stack.project.dir, file), file.endsWith(".yaml") ? dumpYaml(content) : JSON.stringify(content, null, 2));
  const recordFile = () => path.join(stack.project.dir, ".drprotect", `drill-${stack.name}.json`);
  const passingChecks = () => ({
    parallel: 2,
    rtoSeconds: 120,
    targets: {
      payroll: { addresses: { "web-01": "127.0.0.1" }, checks: [{ name: "web answers", vm: "web-01", http: `http://{ip}:${ports[0]}/`, timeoutSeconds: 10 }] },
      shop: {
        rtoSeconds: 60,
        addresses: { "web-02": "127.0.0.1", "app-01": "127.0.0.1" },
        checks: [{ vm: "web-02", tcp: ports[1], timeoutSeconds: 10 }, { vm: "app-01", tcp: ports[2], timeoutSeconds: 10 }, { name: "runbook step", command: "true" }],
      },
      // the VCDA test VM's address comes from the appliance (the simulator reports 127.0.0.1)
      files: { checks: [{ name: "file share answers", vm: "acme-web-01", http: `http://{ip}:${ports[3]}/`, timeoutSeconds: 10 }] },
    },
  });

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    sims = await startSims();
    await allowReplication(sims);
    const { config, secrets } = stackConnection(sims.zvm.url, sims.vcda.url);
    stack = await (await Project.program()).stack("drill", config, secrets);
    await stack.writeResources([
      { type: "zerto:Vpg", name: "payroll", args: { ...vpgArgs("payroll", [vms[0]]), waitForSla: true } },
      { type: "zerto:Vpg", name: "shop", args: { ...vpgArgs("shop", [vms[1], vms[2]]), waitForSla: true } },
      { type: "vcda:VmReplication", name: "files", args: replicationArgs(vcdaVmId(0)) },
    ]);
    await stack.up();
    targets = drillTargets(await stack.stack.exportStack());
    for (const vmId of vms) {
      ports.push(await freePort());
      await sims.zvmAdmin.call("PUT", `/_admin/zvm/vms/${vmId}/test-service`, { port: ports[ports.length - 1] });
    }
    zertoDriver = createZertoFailoverTestDriver(createZertoClient({ url: sims.zvm.url, authMode: "session", username: CREDENTIALS.zvmUser, password: CREDENTIALS.zvmPassword, insecure: false }));
    vcdaDriver = createVcdaFailoverTestDriver(createVcdaClient({ url: sims.vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword, insecure: false }));
    ports.push(await freePort());
    await sims.vcdaAdmin.call("PUT", `/_admin/vcda/vms/${vcdaVmId(0)}/test-service`, { port: ports[ports.length - 1] });
    writeDrillFile("drill.yaml", passingChecks());
  });

  after(() => tearDown([stack], [sims]));

  it("prints the plan with --dry-run and starts nothing", async () => {
    const seq = sims.zvm.journal.lastSeq();
    const result = await drill(["--dry-run"]);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /Drill plan for stack 'drill': 3 target\(s\)/);
    assert.match(result.output, /payroll .*RTO target 120 s.*1 check\(s\)/);
    assert.match(result.output, /shop .*RTO target 60 s.*3 check\(s\)/);
    assert.deepEqual(sims.zvm.journal.list(seq).filter((e) => e.mutating), []);
  });

  it("drills every target: checks reach the test VMs, the three evidence files are written, no test stays running, one tagged checkpoint each", async () => {
    const result = await drill([]);
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /payroll: test starting/);
    assert.match(result.output, /shop: \d+ test VM\(s\) up after/);
    assert.match(result.output, /DRILL PASSED/);
    const base = path.join(stack.project.dir, "drill-evidence", "drill-drill");
    const evidence = JSON.parse(fs.readFileSync(`${base}.json`, "utf8"));
    assert.equal(evidence.passed, true);
    assert.equal(evidence.stack, "drill");
    assert.ok(evidence.cliVersion);
    assert.deepEqual(evidence.targets.map((t: any) => t.name).sort(), targets.map((t) => t.name).sort());
    const payroll = evidence.targets.find((t: any) => t.name === "payroll");
    assert.equal(payroll.checks.length, 1);
    assert.equal(payroll.checks[0].passed, true);
    assert.match(payroll.checks[0].detail, /answered 200/);
    assert.equal(payroll.vmsUp.withinRto, true);
    assert.equal(payroll.pointInTime.withinRpo, true);
    assert.equal(payroll.cleanup.stopped, true);
    assert.ok(payroll.reports.startTaskId && payroll.reports.stopTaskId && payroll.reports.recoveryReportId, JSON.stringify(payroll.reports));
    assert.equal(evidence.targets.find((t: any) => t.name === "shop").checks.length, 3);
    const files = evidence.targets.find((t: any) => t.name === "files");
    assert.deepEqual([files.type, files.checks.length, files.checks[0].passed, files.cleanup.stopped], ["vcda:VmReplication", 1, true, true], JSON.stringify(files));
    assert.match(fs.readFileSync(`${base}.md`, "utf8"), /✅ DR drill passed/);
    const junit = fs.readFileSync(`${base}.xml`, "utf8");
    assert.match(junit, /<testsuite name="payroll" tests="\d+" failures="0"/);
    assert.doesNotMatch(junit, /<failure/);

    assert.deepEqual(await running(), []);
    assert.equal(fs.existsSync(recordFile()), false, "the record is gone once every test is stopped");
    for (const t of targets.filter((x) => x.type.includes(":zerto:"))) {
      const tagged = await zertoTagged(t.id);
      assert.equal(tagged.length, 1, `${t.name}: ${JSON.stringify(tagged)}`);
      assert.match(tagged[0], /^drill-\d{8}T\d{6}Z$/);
    }
  });

  /** Tagged checkpoints of a VPG, by tag. */
  async function zertoTagged(vpgId: string): Promise<string[]> {
    const client = createZertoClient({ url: sims.zvm.url, authMode: "session", username: CREDENTIALS.zvmUser, password: CREDENTIALS.zvmPassword, insecure: false });
    const { body } = await client.http.request<any[]>({ method: "GET", path: `/v1/vpgs/${vpgId}/checkpoints` });
    return body.map((c) => c.tag ?? c.Tag).filter(Boolean);
  }

  it("fails the drill (exit 2) on a failing check, and still stops the test", async () => {
    writeDrillFile("failing.json", { targets: { payroll: { addresses: { "web-01": "127.0.0.1" }, checks: [{ name: "closed port", vm: "web-01", tcp: await freePort(), timeoutSeconds: 2 }] } } });
    const result = await drill(["payroll", "--drill-file", "failing.json", "--out", "failing-evidence"]);
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /check 'closed port' FAILED/);
    assert.match(result.output, /DRILL FAILED/);
    const evidence = JSON.parse(fs.readFileSync(path.join(stack.project.dir, "failing-evidence", "drill-drill.json"), "utf8"));
    assert.equal(evidence.targets.length, 1);
    assert.equal(evidence.targets[0].outcome, "failed");
    assert.equal(evidence.targets[0].cleanup.stopped, true);
    assert.match(fs.readFileSync(path.join(stack.project.dir, "failing-evidence", "drill-drill.xml"), "utf8"), /<failure message="/);
    assert.deepEqual(await running(), []);
  });

  it("refuses a VPG not meeting its SLA and one already in a test, naming them, and starts nothing", async () => {
    const [payroll, shop] = ["payroll", "shop"].map((n) => targets.find((t) => t.name === n)!);
    await sims.zvmAdmin.call("PUT", `/_admin/zvm/vpgs/${payroll.id}/sla`, { meeting: false });
    await sims.zvmAdmin.call("PUT", `/_admin/zvm/vpgs/${shop.id}/operation`, { operation: "failoverTest" });
    const seq = sims.zvm.journal.lastSeq();
    const result = await drill(["payroll", "shop"]);
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /payroll: refused: the VPG is NotMeetingSLA/);
    assert.match(result.output, /shop: refused: a failover test is already running/);
    assert.match(result.output, /Nothing started: '(payroll|shop)', '(payroll|shop)' are not ready/);
    assert.deepEqual(sims.zvm.journal.list(seq).filter((e) => e.mutating).map((e) => `${e.method} ${e.path}`), []);
    await sims.zvmAdmin.call("PUT", `/_admin/zvm/vpgs/${payroll.id}/sla`, { meeting: true });
    await sims.zvmAdmin.call("PUT", `/_admin/zvm/vpgs/${shop.id}/operation`, { operation: null });
  });

  it("stays calm while a test runs: preview and refresh propose no change, drift finds none, up leaves the test running", async () => {
    const payroll = targets.find((t) => t.name === "payroll")!;
    const point = await zertoDriver.pointInTime(payroll, "preview-check");
    await zertoDriver.startTest(payroll, point);
    try {
      await stack.assertNoChanges();
      const drift = await runProcess(path.join(stack.project.dir, "node_modules", ".bin", "pulumi-drprotect"), ["drift", "--run", "--stack", stack.name, "--names", "off"],
        { cwd: stack.project.dir, env: { ...stack.cliEnv(), ...connectionEnv(sims) } });
      assert.equal(drift.code, 0, drift.output);
      assert.match(drift.output, /#### Information: failover tests \(not drift\)\n- ℹ️ .*payroll.*: failover test in progress/);
      await stack.up();
      assert.deepEqual(await running(), ["payroll"]);
    } finally {
      await zertoDriver.stopTest(payroll, { succeeded: true, summary: "preview during a test" });
    }
    assert.deepEqual(await running(), []);
  });

  for (const signal of ["SIGKILL", "SIGTERM"] as const) {
    it(signal === "SIGKILL" ? "stops with `drill --cleanup` the test a drill killed with -9 left running"
      : "stops its tests when it gets SIGTERM, and still writes the evidence", async () => {
      writeDrillFile("slow.json", { targets: { payroll: { checks: [{ name: "long check", command: "sleep 60", timeoutSeconds: 120 }] } } });
      let pid = 0;
      const finished = drill(["payroll", "--drill-file", "slow.json", "--out", "slow-evidence"], (p) => (pid = p));
      await eventually(async () => ((await running()).includes("payroll") && fs.existsSync(recordFile()) ? true : undefined), "the drill's test to run", 60_000);
      process.kill(-pid, signal);
      const result = await finished;
      if (signal === "SIGKILL") {
        assert.deepEqual(await running(), ["payroll"], "a killed drill cannot stop its test");
        const cleanup = await drill(["--cleanup"]);
        assert.equal(cleanup.code, 0, cleanup.output);
        assert.match(cleanup.output, /payroll: stopped/);
      } else {
        assert.equal(result.code, 143, result.output);
        assert.match(result.output, /SIGTERM: stopping the tests/);
        const evidence = JSON.parse(fs.readFileSync(path.join(stack.project.dir, "slow-evidence", "drill-drill.json"), "utf8"));
        assert.equal(evidence.targets[0].cleanup.stopped, true);
        assert.equal(evidence.passed, false);
      }
      assert.deepEqual(await running(), []);
      assert.equal(fs.existsSync(recordFile()), false);
    });
  }
});
