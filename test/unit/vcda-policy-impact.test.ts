import * as assert from "node:assert/strict";
import { breachesOf, newBreaches, reportBreaches, tightenedLimits } from "../../provider/vcda/policyImpact";
import type { VcdaReplication } from "../../provider/vcda/models";
import { driftReport, renderDriftMarkdown } from "../../cli/drift";
import { renderReviewMarkdown, reviewPreview } from "../../cli/review";
import { impactWarnings, policiesInSteps } from "../../cli/policyReview";
import type { Step } from "../../cli/changes";

const replicationOf = (id: string, vmName: string, rpo: number, instances = 4, isMigration = false) => ({
  id, vmName, isMigration, source: { site: "east", org: "org-acme" }, destination: { site: "west", org: "org-acme", vdcId: "vdc" },
  settings: { rpo, retentionPolicy: { rules: [{ numberOfInstances: instances, distance: rpo }] } },
}) as unknown as VcdaReplication;

const acme = { org: "org-acme", incoming: [replicationOf("C4-1", "web-01", 10), replicationOf("C4-2", "db-01", 30, 12)], outgoing: [] };

describe("VCDA policy impact: which live replications a policy's new limits put out of compliance", () => {
  it("names each replication below a raised minRpo or above a lowered maxInstances, with its value and the limit", () => {
    assert.deepEqual(breachesOf({ minRpo: 15, maxInstances: 10 }, acme).map((b) => [b.vmName, b.rule, b.detail]), [
      ["web-01", "minRpo", "RPO 10 minutes is below minRpo 15"],
      ["db-01", "maxInstances", "12 retained instances exceed maxInstances 10"],
    ]);
  });

  it("reports only what the change itself breaks, not what was already out of compliance", () => {
    assert.deepEqual(newBreaches({ minRpo: 15 }, { minRpo: 60 }, acme).map((b) => b.vmName), ["db-01"]);
  });

  it("counts a lowered quota against the organization and protections turned off against each replication", () => {
    const breaches = breachesOf({ maxIncoming: 1, allowIncomingProtections: false }, acme);
    assert.deepEqual(breaches.map((b) => [b.replicationId, b.rule]), [["C4-1", "allowIncomingProtections"], ["C4-2", "allowIncomingProtections"], [undefined, "maxIncoming"]]);
    assert.match(breaches[2].detail, /2 incoming replications exceed maxIncoming 1 by 1/);
  });

  it("judges no limit it does not know (a preview-unknown value) and treats -1 as no quota", () => {
    assert.deepEqual(breachesOf({ maxIncoming: -1 }, acme), []);
    assert.deepEqual(breachesOf({}, acme), []);
  });

  it("tells a tightened limit from a loosened one, -1 being unlimited", () => {
    assert.deepEqual(tightenedLimits({ minRpo: 5, maxIncoming: -1, allowIncomingProtections: true }, { minRpo: 15, maxIncoming: 10, allowIncomingProtections: false }),
      ["minRpo 5 → 15", "maxIncoming -1 → 10", "allowIncomingProtections true → false"]);
    assert.deepEqual(tightenedLimits({ minRpo: 15, maxInstances: 10 }, { minRpo: 5, maxInstances: 20 }), []);
  });

  it("writes each breach once, as a warning line the review recognises", () => {
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((line: string) => lines.push(line) > 0) as unknown as typeof process.stderr.write;
    try {
      const breaches = breachesOf({ minRpo: 15 }, acme);
      reportBreaches("vcda:ReplicationPolicy p-1", "replication policy 'Gold' (minRpo 5 → 15)", breaches);
      reportBreaches("vcda:ReplicationPolicy p-1", "replication policy 'Gold' (minRpo 5 → 15)", breaches);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(lines, ["warning: pulumi-drprotect policy impact [vcda:ReplicationPolicy p-1]: replication policy 'Gold' (minRpo 5 → 15) puts "
      + "VM 'web-01' (replication C4-1) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15\n"]);
    assert.deepEqual(impactWarnings([{ message: lines[0], severity: "info#err" }]), [{
      type: "vcda:ReplicationPolicy", id: "p-1",
      message: "replication policy 'Gold' (minRpo 5 → 15) puts VM 'web-01' (replication C4-1) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15",
    }]);
  });
});

const POLICY = "pulumi-nodejs:dynamic/vcda:ReplicationPolicy";
const ASSIGNMENT = "pulumi-nodejs:dynamic/vcda:OrgPolicyAssignment";
const urn = (type: string, name: string) => `urn:pulumi:prod::dr::${type}::${name}`;
const policyState = (id: string, displayName: string, minRpo: number) => ({ type: POLICY, inputs: { displayName, minRpo }, outputs: { policyId: id, displayName, minRpo } });

describe("review of VCDA policy changes", () => {
  const steps: Step[] = [
    { op: "update", urn: urn(POLICY, "gold"), oldState: policyState("gold-id", "Gold", 5), newState: policyState("gold-id", "Gold", 15) },
    { op: "same", urn: urn(POLICY, "bronze"), oldState: policyState("bronze-id", "Bronze", 30), newState: policyState("bronze-id", "Bronze", 30) },
    { op: "update", urn: urn(ASSIGNMENT, "globex"), oldState: { type: ASSIGNMENT, inputs: { org: "org-globex", policyId: "gold-id" }, outputs: { org: "org-globex", policyId: "gold-id" } },
      newState: { type: ASSIGNMENT, inputs: { org: "org-globex", policyId: "bronze-id" } } },
    { op: "delete", urn: urn(ASSIGNMENT, "initech"), oldState: { type: ASSIGNMENT, inputs: { org: "org-initech", policyId: "gold-id" }, outputs: { org: "org-initech", policyId: "gold-id" } } },
    { op: "delete", urn: urn(POLICY, "silver"), oldState: policyState("silver-id", "Silver", 10) },
  ];
  const diagnostics = [{ severity: "info#err", message: "warning: pulumi-drprotect policy impact [vcda:ReplicationPolicy gold-id]: replication policy 'Gold' (minRpo 5 → 15) puts "
    + "VM 'web-01' (replication C4-1) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15\n" }];

  it("names policies beside their ids, and says whether an org moves to a stricter or a more open policy", () => {
    const facts = { policies: policiesInSteps(steps), incomingByOrg: new Map([["org-initech", 2]]) };
    const markdown = renderReviewMarkdown(reviewPreview({ steps, diagnostics }, new Map(), facts));
    const risks = markdown.split("\n").filter((l) => l.startsWith("- **"));
    assert.deepEqual(risks, [
      "- **Policy tightened below live replications**: replication policy 'Gold' (minRpo 5 → 15) puts VM 'web-01' (replication C4-1) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15",
      "- **Org moved to a stricter policy**: policy assignment `org-globex` (vcda:OrgPolicyAssignment globex): policyId Gold (gold-id) → Bronze (bronze-id): a stricter policy (minRpo 15 → 30)",
      "- **Org back on the default policy**: organization `org-initech` goes back to the default policy (policy assignment `org-initech` (vcda:OrgPolicyAssignment initech) is deleted); 2 replication(s) run into it",
      "- **Policy deleted**: replication policy `Silver` (vcda:ReplicationPolicy silver) is deleted",
    ]);
    assert.equal(reviewPreview({ steps, diagnostics }, new Map(), facts).risks[0].resource, "gold");
  });

  it("flags an org back on the default policy as a risk when its replications are not known, and not when it has none", () => {
    const unknown = reviewPreview({ steps }, new Map(), { policies: new Map(), incomingByOrg: new Map(), lookUpNote: "VCDA_URL is not set" });
    assert.ok(unknown.risks.some((r) => r.kind === "org-to-default" && /whether replications run into it is not known \(VCDA_URL is not set\)/.test(r.message)));
    const none = reviewPreview({ steps }, new Map(), { policies: new Map(), incomingByOrg: new Map([["org-initech", 0]]) });
    assert.ok(!none.risks.some((r) => r.kind === "org-to-default"));
  });
});

describe("drift report of non-compliant replications", () => {
  it("lists each replication a policy's compliance output names, as a state, even when nothing changed", () => {
    const compliance = [{ org: "org-acme", configuredReplications: 2, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: ["C4-1"], nonInstancesCompliant: [] }];
    const state = { ...policyState("gold-id", "Gold", 15), outputs: { ...policyState("gold-id", "Gold", 15).outputs, compliance } };
    const report = driftReport({ steps: [{ op: "refresh", urn: urn(POLICY, "gold"), oldState: state, newState: state }] });
    assert.deepEqual(report.drifted, []);
    assert.deepEqual(report.nonCompliant, [{ policy: "gold", policyName: "Gold", org: "org-acme", replicationId: "C4-1", rule: "RPO below the policy's minRpo" }]);
    assert.match(renderDriftMarkdown(report), /\*\*state\*\* replication C4-1 of org `org-acme` is non-compliant with policy `Gold` \(gold\): RPO below the policy's minRpo/);
  });
});
