import * as fs from "node:fs";
import * as path from "node:path";
import { strict as assert } from "node:assert";
import type { DrillEvidence } from "../../cli/drill/evidence";
import { renderJunit, renderMarkdown, renderSummary } from "../../cli/drill/evidence";
import { drillTargets, parseDrillFile, planData, renderPlan, selectTargets, settingsOf, unknownTargetNames } from "../../cli/drill/plan";

const exported = {
  deployment: {
    resources: [
      { urn: "urn:pulumi:prod::dr::pulumi:pulumi:Stack::dr-prod", type: "pulumi:pulumi:Stack", outputs: {} },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/zerto:Vpg::payroll", type: "pulumi-nodejs:dynamic/zerto:Vpg",
        outputs: { vpgId: "vpg-1", name: "Payroll VPG", rpoSeconds: 300, password: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" } } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/zerto:Vpg::shop", type: "pulumi-nodejs:dynamic/zerto:Vpg", outputs: { vpgId: "vpg-2", name: "Shop" } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/vcda:VmReplication::files", type: "pulumi-nodejs:dynamic/vcda:VmReplication", outputs: { replicationId: "r-1", vmName: "files-01", rpo: 15 } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/vcda:ReplicationPolicy::gold", type: "pulumi-nodejs:dynamic/vcda:ReplicationPolicy", outputs: { policyId: "p-1" } },
      { urn: "urn:pulumi:prod::dr::pulumi-nodejs:dynamic/zerto:Vpg::pending", type: "pulumi-nodejs:dynamic/zerto:Vpg", outputs: {} },
    ],
  },
};

describe("drill: targets, selection and the drill file", () => {
  const targets = drillTargets(exported);

  it("takes the VPGs and replications the state records an id for, with the contract's type token and no secret", () => {
    assert.deepEqual(targets.map((t) => [t.type, t.name, t.id]), [
      ["drprotect:zerto:Vpg", "payroll", "vpg-1"], ["drprotect:zerto:Vpg", "shop", "vpg-2"], ["drprotect:vcda:VmReplication", "files", "r-1"]]);
    assert.equal(targets[0].state.password, "[secret]");
    assert.doesNotMatch(JSON.stringify(targets), /ciphertext/);
  });

  it("selects by resource or appliance name with * and ?, and names a pattern that matches nothing", () => {
    assert.deepEqual(selectTargets(targets, []).map((t) => t.name), ["payroll", "shop", "files"]);
    assert.deepEqual(selectTargets(targets, ["pay*"]).map((t) => t.name), ["payroll"]);
    assert.deepEqual(selectTargets(targets, ["files-0?", "SHOP"]).map((t) => t.name), ["shop", "files"]);
    assert.throws(() => selectTargets(targets, ["payrol", "nope*"]), /matches 'payrol', 'nope\*' \(the stack has: payroll, shop, files\)/);
  });

  it("reads targets and checks with their defaults, the RPO from the state when the file gives none", () => {
    const file = parseDrillFile(JSON.stringify({
      rtoSeconds: 900,
      targets: {
        payroll: { rtoSeconds: 600, addresses: { "web-01": "10.0.0.5" }, checks: [{ vm: "web-01", tcp: 443 }, { name: "api", http: "http://{ip}:8080/health", expectStatus: 204, timeoutSeconds: 5 }] },
        files: { checks: [{ command: "./smoke.sh" }] },
      },
    }));
    assert.equal(file.parallel, 2);
    const payroll = settingsOf(file, targets[0]);
    assert.deepEqual({ rto: payroll.rtoSeconds, rpo: payroll.rpoSeconds, addresses: payroll.addresses }, { rto: 600, rpo: 300, addresses: { "web-01": "10.0.0.5" } });
    assert.deepEqual(payroll.checks, [
      { name: "tcp 443 on web-01", vm: "web-01", timeoutSeconds: 30, kind: "tcp", port: 443 },
      { name: "api", timeoutSeconds: 5, kind: "http", url: "http://{ip}:8080/health", expectStatus: 204 },
    ]);
    assert.equal(settingsOf(file, targets[1]).rtoSeconds, 900);
    assert.equal(settingsOf(file, targets[2]).rpoSeconds, 15 * 60);
    assert.deepEqual(unknownTargetNames(file, targets), []);
    assert.deepEqual(unknownTargetNames(parseDrillFile('{"targets": {"payrol": {}}}'), targets), ["payrol"]);
  });

  it("rejects a drill file naming each wrong setting with its path and rule", () => {
    const bad = { parallel: 0, rtoSeconds: "fast", colour: 1, targets: { payroll: { checks: [{ tcp: 70000 }, { tcp: 22, http: "http://x" }, { http: "ftp://x" }, { command: "" }, "ping"], addresses: { a: 1 } } } };
    assert.throws(() => parseDrillFile(JSON.stringify(bad)), (err: Error) => {
      for (const line of [
        "drill.json: colour is not a known setting",
        "drill.json: parallel must be an integer in 1..32",
        "drill.json: rtoSeconds must be an integer in 1..604800",
        "drill.json: targets.payroll.checks[0].tcp must be an integer in 1..65535",
        "drill.json: targets.payroll.checks[1] must declare exactly one of tcp (a port), http (a URL) or command",
        "drill.json: targets.payroll.checks[2].http must be an http:// or https:// URL",
        "drill.json: targets.payroll.checks[3].command must be a non-empty command line",
        "drill.json: targets.payroll.checks[4] must be an object",
        "drill.json: targets.payroll.addresses.a must be a non-empty string",
      ]) assert.ok(err.message.includes(line), `${line}\n---\n${err.message}`);
      return true;
    });
    assert.throws(() => parseDrillFile("{"), /drill.json: not valid JSON/);
  });

  it("reads YAML by the file's name, and the docs' drill.yaml passes the rules", () => {
    const file = parseDrillFile("parallel: 3\ntargets:\n  payroll:\n    checks:\n      - tcp: 443\n        vm: web-01\n", "drill.yaml");
    assert.equal(file.parallel, 3);
    assert.deepEqual(file.targets.payroll.checks, [{ name: "tcp 443 on web-01", vm: "web-01", timeoutSeconds: 30, kind: "tcp", port: 443 }]);
    assert.throws(() => parseDrillFile("parallel: [3\n", "drill.yaml"), /drill\.yaml: not valid YAML/);
    assert.throws(() => parseDrillFile("targets:\n  payroll:\n    checks:\n      - tcp: 80\n        expectStatus: 200\n", "drill.yml"),
      /drill\.yml: targets\.payroll\.checks\[0\] may set host only with tcp, and expectStatus only with http/);
    const docs = fs.readFileSync(path.join(__dirname, "..", "..", "..", "docs", "drills.md"), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(docs)?.[1];
    assert.ok(example, "docs/drills.md shows a drill.yaml");
    assert.deepEqual(Object.keys(parseDrillFile(example, "drill.yaml").targets), ["payroll"]);
  });

  it("gives the plan as data for --dry-run --format json", () => {
    const data = planData("prod", targets.slice(0, 1), parseDrillFile(JSON.stringify({ targets: { payroll: { rtoSeconds: 60, checks: [{ tcp: 22 }] } } })));
    assert.deepEqual(data, {
      stack: "prod", parallel: 1,
      targets: [{ name: "payroll", type: "zerto:Vpg", id: "vpg-1", applianceName: "Payroll VPG", rtoSeconds: 60, rpoSeconds: 300, maxTestIntervalDays: undefined,
        addresses: {}, checks: [{ name: "tcp 22", timeoutSeconds: 30, kind: "tcp", port: 22 }] }],
    });
  });

  it("prints a plan naming each target, its targets and checks", () => {
    const plan = renderPlan("prod", targets.slice(0, 2), parseDrillFile(JSON.stringify({ parallel: 4, targets: { shop: { rtoSeconds: 60, checks: [{ tcp: 22 }] } } })));
    assert.match(plan, /^Drill plan for stack 'prod': 2 target\(s\), 2 at a time$/m);
    assert.match(plan, /payroll \(zerto:Vpg 'Payroll VPG', vpg-1\): no RTO target, RPO 300 s, 0 check\(s\)/);
    assert.match(plan, /shop \(zerto:Vpg 'Shop', vpg-2\): RTO target 60 s, no RPO, 1 check\(s\): tcp 22/);
  });
});

describe("drill: evidence", () => {
  const evidence: DrillEvidence = {
    stack: "prod", programDir: "/repo/dr", commit: "abc123", cliVersion: "0.1.0", pulumiVersion: "v3.248.0",
    startedAt: "2026-12-06T10:00:00.000Z", endedAt: "2026-12-06T10:05:00.000Z", passed: false,
    targets: [
      {
        name: "payroll", type: "zerto:Vpg", applianceName: "Payroll", id: "vpg-1", outcome: "passed", startedAt: "2026-12-06T10:00:01.000Z", endedAt: "2026-12-06T10:02:00.000Z",
        pointInTime: { id: "cp-1", time: "2026-12-06T10:00:00.000Z", name: "drill-1", ageSeconds: 1, rpoSeconds: 300, withinRpo: true },
        vmsUp: { seconds: 42, rtoTargetSeconds: 600, withinRto: true },
        checks: [{ name: "web <ok> & \"fine\"", kind: "http", vm: "web-01", target: "http://10.0.0.5/", passed: true, durationMs: 120, detail: "answered 200" }],
        cleanup: { stopped: true, taskId: "t-2", detail: "stopped" },
        reports: { startTaskId: "t-1", stopTaskId: "t-2", recoveryReportId: "rep-1", applianceRtoSeconds: 41 },
      },
      {
        name: "shop", type: "zerto:Vpg", id: "vpg-2", outcome: "failed", reason: "the test VMs took 90 s, over the RTO target of 60 s",
        vmsUp: { seconds: 90, rtoTargetSeconds: 60, withinRto: false }, checks: [], cleanup: { stopped: true, detail: "stopped" }, reports: {},
      },
      { name: "files", type: "vcda:VmReplication", id: "r-1", outcome: "refused", reason: "not started: another target was refused", checks: [], reports: {} },
    ],
  };

  it("renders Markdown with who ran it, a row per target and the appliance's records", () => {
    const md = renderMarkdown(evidence);
    assert.match(md, /^## ❌ DR drill failed: stack `prod`/);
    assert.match(md, /at commit `abc123`; pulumi-drprotect 0\.1\.0, Pulumi CLI v3\.248\.0/);
    assert.match(md, /\| payroll \(Payroll\) \| passed \| 2026-12-06T10:00:00.000Z \(1 s \/ 300 s\) ✅ \| 42 s \(600 s\) ✅ \| 1\/1 \| stopped ✅ \|/);
    assert.match(md, /\| shop \| failed: the test VMs took 90 s, over the RTO target of 60 s \| – \| 90 s \(60 s\) ❌ \|/);
    assert.match(md, /recovery report rep-1 \(appliance RTO 41 s\)/);
  });

  it("renders JUnit XML with a failure per missed target, escaped", () => {
    const xml = renderJunit(evidence);
    assert.match(xml, /<testsuite name="payroll" tests="4" failures="0"/);
    assert.match(xml, /name="check: web &lt;ok&gt; &amp; &quot;fine&quot;"/);
    assert.match(xml, /<testsuite name="shop" tests="2" failures="1"[^]*<failure message="90 s, target 60 s"\/>/);
    assert.match(xml, /<testsuite name="files" tests="1" failures="1"[^]*<failure message="refused: not started/);
  });

  it("prints a summary table and the verdict", () => {
    const summary = renderSummary(evidence);
    assert.match(summary, /^TARGET\s+RESULT\s+VMS UP\s+RTO\s+CHECKS\s+CLEANUP$/m);
    assert.match(summary, /^shop\s+failed\s+90 s\s+60 s\s+–\s+stopped$/m);
    assert.match(summary, /DRILL FAILED\n$/);
  });
});
