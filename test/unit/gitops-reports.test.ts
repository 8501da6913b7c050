import * as assert from "node:assert/strict";
import { driftReport, renderDriftMarkdown } from "../../cli/drift";
import { main } from "../../cli/main";
import { renderReviewMarkdown, reviewPreview } from "../../cli/review";
import type { Step } from "../../cli/changes";

// Steps shaped like `pulumi preview --json` of CLI 3.248 for dynamic resources (no detailedDiff).
const VPG_TYPE = "pulumi-nodejs:dynamic/zerto:Vpg";
const urn = (type: string, name: string) => `urn:pulumi:prod::dr::${type}::${name}`;
const vm = (n: number) => `vc-1.vm-${n}`;
const vpgInputs = (over: Record<string, unknown> = {}) => ({
  __provider: "exports.handler = ...", name: "web-tier", rpoSeconds: 300, journalHistoryHours: 24, recoverySiteId: "site-b",
  vms: [{ vmId: vm(101) }, { vmId: vm(102) }, { vmId: vm(103) }], ...over,
});
const stackStep: Step = { op: "same", urn: urn("pulumi:pulumi:Stack", "dr-prod"), oldState: { type: "pulumi:pulumi:Stack" }, newState: { type: "pulumi:pulumi:Stack" } };
const vpgStep = (op: string, oldInputs: Record<string, unknown> | undefined, newInputs: Record<string, unknown> | undefined): Step => ({
  op, urn: urn(VPG_TYPE, "web"),
  oldState: oldInputs && { type: VPG_TYPE, inputs: oldInputs, outputs: { ...oldInputs, vpgId: "vpg-1", status: "MeetingSLA" } },
  newState: newInputs && { type: VPG_TYPE, inputs: newInputs },
});
const names = new Map([[vm(103), "app-01"], [vm(104), "db-01"], ["site-b", "Site-B DR"]]);

describe("GitOps review (pulumi-drprotect review)", () => {
  it("leads with the risks of a loosened RPO, a removed VM and a changed site, naming the VPG and the VM", () => {
    const newInputs = vpgInputs({ rpoSeconds: 900, recoverySiteId: "site-c", vms: [{ vmId: vm(101) }, { vmId: vm(102) }], allowProtectionGapOnReplace: true });
    const steps = [stackStep, vpgStep("replace", vpgInputs(), newInputs), vpgStep("create-replacement", vpgInputs(), newInputs), vpgStep("delete-replaced", vpgInputs(), undefined)];
    const markdown = renderReviewMarkdown(reviewPreview({ steps }, names));
    const lines = markdown.split("\n");
    assert.equal(lines[0], "### ⚠️ DR change review: 4 risks");
    assert.match(lines[1], /^- \*\*Protection replaced\*\*: VPG `web-tier` \(zerto:Vpg web\) is replaced: the old one is deleted before/);
    assert.equal(lines[2], "- **VM unprotected**: app-01 (vc-1.vm-103) is removed from VPG `web-tier` (zerto:Vpg web)");
    assert.equal(lines[3], "- **RPO loosened**: VPG `web-tier` (zerto:Vpg web): rpoSeconds 300 → 900");
    assert.equal(lines[4], "- **Site changed**: VPG `web-tier` (zerto:Vpg web): recoverySiteId Site-B DR (site-b) → site-c");
    assert.match(markdown, /#### `\+-` replace VPG `web-tier` \(zerto:Vpg web\)\n\| property \| old \| new \|/);
    assert.match(markdown, /\| rpoSeconds \| `300` \| `900` \|/);
    assert.match(markdown, /\| recoverySiteId \| Site-B DR `site-b` \| `site-c` \|/);
    assert.doesNotMatch(markdown, /__provider/);
    assert.match(markdown, /- VMs removed \(1\): app-01 \(vc-1\.vm-103\)/);
    assert.match(markdown, /Counts: 1 to replace; 4 risk\(s\)\./);
  });

  it("gives the same as data, with VM ids where no name is known", () => {
    const review = reviewPreview({ steps: [vpgStep("update", vpgInputs(), vpgInputs({ journalHistoryHours: 12, vms: [...vpgInputs().vms as object[], { vmId: vm(105) }] }))] });
    assert.deepEqual(review.risks.map((r) => r.kind), ["history-loosened"]);
    assert.deepEqual(review.resources[0].changes, [{ path: "journalHistoryHours", old: 24, new: 12 }]);
    assert.deepEqual(review.resources[0].vmsAddedLabels, [vm(105)]);
    assert.deepEqual(review.counts, { update: 1 });
  });

  it("flags a deleted VPG and every VM it protected; a tighter RPO is no risk", () => {
    const deleted = reviewPreview({ steps: [vpgStep("delete", vpgInputs(), undefined)] }, names);
    assert.deepEqual(deleted.risks.map((r) => r.kind), ["protection-deleted", "vm-unprotected", "vm-unprotected", "vm-unprotected"]);
    assert.match(deleted.risks[3].message, /^app-01 \(vc-1\.vm-103\) loses its protection/);
    assert.deepEqual(reviewPreview({ steps: [vpgStep("update", vpgInputs(), vpgInputs({ rpoSeconds: 60 }))] }).risks, []);
  });

  it("flags a policy opened to more organizations and raised limits", () => {
    const policyType = "pulumi-nodejs:dynamic/vcda:ReplicationPolicy";
    const assignmentType = "pulumi-nodejs:dynamic/vcda:OrgPolicyAssignment";
    const review = reviewPreview({ steps: [
      { op: "update", urn: urn(policyType, "gold"), oldState: { type: policyType, inputs: { displayName: "Gold", maxInstances: 10, allowIncomingMigrations: false } },
        newState: { type: policyType, inputs: { displayName: "Gold", maxInstances: 20, allowIncomingMigrations: true } } },
      { op: "create", urn: urn(assignmentType, "acme-gold"), newState: { type: assignmentType, inputs: { org: "acme", policyId: "gold-id" } } },
    ] });
    assert.deepEqual(review.risks.map((r) => r.message), [
      "replication policy `Gold` (vcda:ReplicationPolicy gold): allowIncomingMigrations false → true",
      "replication policy `Gold` (vcda:ReplicationPolicy gold): maxInstances 10 → 20",
      "policy assignment `acme` (vcda:OrgPolicyAssignment acme-gold) is created",
    ]);
  });

  it("reports drift found by preview --refresh: the refreshed state is the next step's old state", () => {
    const refreshed = vpgStep("update", vpgInputs({ rpoSeconds: 1200 }), vpgInputs());
    const steps = [vpgStep("refresh", vpgInputs(), vpgInputs()), refreshed];
    steps[0].newState = steps[0].oldState;
    const review = reviewPreview({ steps });
    assert.deepEqual(review.risks.map((r) => r.kind), ["drift"]);
    assert.match(renderReviewMarkdown(review), /^### ⚠️ DR change review: 1 risk\n- \*\*Drift found\*\*: VPG `web-tier` \(zerto:Vpg web\) changed out of band: rpoSeconds 300 → 1200/);
  });

  it("says so when nothing changes", () => {
    assert.equal(renderReviewMarkdown(reviewPreview({ steps: [stackStep] })),
      "### ✅ DR change review: no DR risk found\n\nNo DR resource changes.\nCounts: nothing to change; 0 risk(s).\n");
  });
});

describe("GitOps drift report (pulumi-drprotect drift)", () => {
  const refreshSteps = (before: Record<string, unknown>, after: Record<string, unknown> | undefined): Step[] => {
    const refresh = vpgStep("refresh", before, before);
    refresh.newState = refresh.oldState;
    return [refresh, after ? { ...vpgStep("update", after, vpgInputs()) } : { op: "create", urn: refresh.urn, newState: { type: VPG_TYPE, inputs: vpgInputs() } }];
  };

  it("separates a state change (pause) from a changed setting", () => {
    const report = driftReport({ steps: refreshSteps(vpgInputs({ protectionState: "protected" }), vpgInputs({ protectionState: "paused", rpoSeconds: 600 })) });
    assert.deepEqual(report.counts, { resources: 1, stateChanges: 1, settingChanges: 1, deleted: 0 });
    const markdown = renderDriftMarkdown(report);
    assert.match(markdown, /^### ⚠️ DR drift report: 1 resource\(s\) changed out of band\n1 state change\(s\), 1 setting change\(s\), 0 deleted\./);
    assert.match(markdown, /- \*\*state\*\* protectionState protected → paused/);
    assert.match(markdown, /- setting rpoSeconds 300 → 600/);
  });

  it("reports a VPG deleted out of band and VMs removed by hand, by name", () => {
    assert.equal(driftReport({ steps: refreshSteps(vpgInputs(), undefined) }).drifted[0].deleted, true);
    const report = driftReport({ steps: refreshSteps(vpgInputs(), vpgInputs({ vms: [{ vmId: vm(101) }, { vmId: vm(102) }] })) }, names);
    assert.deepEqual(report.drifted[0].vmsRemoved, ["app-01 (vc-1.vm-103)"]);
  });

  it("counts resources the refresh JSON marks as changed without saying how", () => {
    const steps = refreshSteps(vpgInputs(), vpgInputs()).slice(0, 1);
    const report = driftReport({ steps, changeSummary: { same: 1, update: 1 } });
    assert.equal(report.undetailed, 1);
    assert.match(renderDriftMarkdown(report), /1 resource\(s\) changed without details/);
  });

  it("is clean when the status moved on its own (initial sync finished)", () => {
    const steps = refreshSteps(vpgInputs(), vpgInputs());
    (steps[1].oldState!.outputs as Record<string, unknown>).status = "Initializing";
    const readInFull = { outputs: new Map([[steps[0].urn, steps[1].oldState!.outputs!]]), failures: new Map() };
    assert.equal(renderDriftMarkdown(driftReport({ steps }, new Map(), readInFull)), "### ✅ DR drift report: no drift\n\nThe appliances match the last deployment.\n");
    assert.match(renderDriftMarkdown(driftReport({ steps }, new Map(), readInFull, ["payroll"])),
      /no drift found\n\nWhat was compared matches the last deployment\.\n\n#### Information: failover tests \(not drift\)\n- ℹ️ .*payroll.*: failover test in progress/);
    // what a summary refresh cannot see is not claimed to match
    assert.match(renderDriftMarkdown(driftReport({ steps })), /^### ✅ DR drift report: no drift found\n\nWhat was compared matches the last deployment\.\n\n#### Not compared: per-VM settings\n/);
  });
});

describe("pulumi-drprotect command line", () => {
  const io = (input: string) => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { readInput: async () => input, write: (t: string) => void out.push(t), warn: (t: string) => void err.push(t) } };
  };
  const preview = JSON.stringify({ steps: [vpgStep("update", vpgInputs(), vpgInputs({ rpoSeconds: 900 }))] });

  it("exits 2 on a risk with --fail-on risk and 0 without", async () => {
    assert.equal(await main(["review", "-", "--fail-on", "risk", "--names", "off"], io(preview).io), 2);
    assert.equal(await main(["review", "-", "--names", "off"], io(preview).io), 0);
  });

  it("exits 2 on drift, 0 without", async () => {
    const steps = [{ ...vpgStep("refresh", vpgInputs(), vpgInputs()) }, vpgStep("update", vpgInputs({ rpoSeconds: 600 }), vpgInputs())];
    steps[0].newState = steps[0].oldState;
    assert.equal(await main(["drift", "--names", "off"], io(JSON.stringify({ steps })).io), 2);
    assert.equal(await main(["drift", "--names", "off"], io(JSON.stringify({ steps: [stackStep] })).io), 0);
  });

  it("refuses a bad option value and input that is no pulumi JSON with exit 1, naming the problem", async () => {
    const bad = io(preview);
    assert.equal(await main(["review", "--format", "yaml"], bad.io), 1);
    assert.match(bad.err.join(""), /--format must be one of markdown, json, not 'yaml'/);
    const notJson = io("error: no stack selected");
    assert.equal(await main(["review"], notJson.io), 1);
    assert.match(notJson.err.join(""), /no JSON document in the input/);
    const unknown = io("");
    assert.equal(await main(["regenerate"], unknown.io), 1);
    assert.match(unknown.err.join(""), /unknown command 'regenerate'/);
  });
});
