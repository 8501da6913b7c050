import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as rules from "../../policy-pack/rules";

const urn = (stack: string, name: string) => `urn:pulumi:${stack}::dr::${rules.VPG}::${name}`;

describe("DR policy pack rules", () => {
  it("caps the RPO by resource name pattern, then by stack pattern, then by default", () => {
    const config = { maxRpoSeconds: 900, stacks: { "prod.*": 300 }, names: { "db-.*": 60 } };
    assert.equal(rules.maxRpoViolation(rules.VPG, "web", urn("dev", "web"), { rpoSeconds: 900 }, config), undefined);
    assert.equal(rules.maxRpoViolation(rules.VPG, "web", urn("prod-eu", "web"), { rpoSeconds: 600 }, config),
      "web: RPO 600 s is above the maximum of 300 s for stack 'prod-eu'");
    assert.match(rules.maxRpoViolation(rules.VPG, "db-main", urn("dev", "db-main"), { rpoSeconds: 120 }, config)!, /maximum of 60 s/);
    assert.match(rules.maxRpoViolation(rules.VM_REPLICATION, "r", urn("dev", "r"), { rpo: 20 }, config)!, /RPO 1200 s/);
    // undeclared: the provider's default 300 s, or the service profile's RPO, which the policy cannot see
    assert.match(rules.maxRpoViolation(rules.VPG, "web", urn("prod", "web"), {}, { ...config, stacks: { "prod.*": 120 } })!, /RPO 300 s/);
    assert.equal(rules.maxRpoViolation(rules.VPG, "web", urn("prod", "web"), { serviceProfileId: "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01" },
      { ...config, stacks: { "prod.*": 120 } }), undefined);
  });

  it("requires journal history, a test interval, encryption, quiescing where asked and retention minimums", () => {
    assert.match(rules.journalHistoryViolation("web", { journalHistoryHours: 12 }, 24)!, /12 is below the minimum of 24/);
    assert.equal(rules.journalHistoryViolation("web", {}, 24), undefined);
    // a VPG following a service profile takes its undeclared values from the profile: not judged here
    assert.equal(rules.journalHistoryViolation("web", { serviceProfileId: "b7a1c3e5-2d4f-4a6b-8c0e-1f3a5b7c9d01" }, 48), undefined);
    assert.match(rules.journalHistoryViolation("web", {}, 48)!, /24 is below the minimum of 48/);
    assert.match(rules.testIntervalViolation("web", { testIntervalMinutes: 0 })!, /failover tests off/);
    const now = new Date("2026-12-06T00:00:00Z");
    assert.equal(rules.testedWithinViolation("web", { name: "Web", lastTest: "2026-10-01T10:00:00Z" }, 92, now), undefined);
    assert.equal(rules.testedWithinViolation("web", { name: "Web", lastTest: "2026-06-01T10:00:00Z" }, 92, now),
      "web: VPG 'Web' was last failover-tested 187 days ago (2026-06-01), more than 92 days");
    assert.match(rules.testedWithinViolation("web", { name: "Web", lastTest: "/Date(1748772000000+0300)/" }, 92, now)!, /last failover-tested \d+ days ago \(2025-06-01\)/);
    assert.match(rules.testedWithinViolation("web", { name: "Web", lastTest: null }, 92, now)!, /never been failover-tested/);
    assert.equal(rules.testedWithinViolation("web", { name: "Web" }, 92, now), undefined, "unknown at preview: not judged");
    assert.match(rules.encryptionViolation("r", { dataConnectionType: "PLAIN" }, [".*"])!, /unencrypted/);
    assert.equal(rules.encryptionViolation("r", { dataConnectionType: "PLAIN" }, ["db-.*"]), undefined);
    assert.match(rules.quiesceViolation("db-1", { quiesced: false }, ["db-.*"])!, /must quiesce/);
    assert.match(rules.retentionViolation("r", { retentionPolicy: { rules: [{ numberOfInstances: 1, distance: 60 }] } }, 3)!, /keeps 1 instance/);
  });

  it("refuses allowProtectionGapOnReplace outside the allowed stacks", () => {
    assert.match(rules.protectionGapViolation("web", urn("prod", "web"), { allowProtectionGapOnReplace: true }, ["dev.*"])!, /not allowed in stack 'prod'/);
    assert.equal(rules.protectionGapViolation("web", urn("dev-1", "web"), { allowProtectionGapOnReplace: true }, ["dev.*"]), undefined);
  });

  it("lists the VMs of the required list that no VPG or replication protects", () => {
    const resources = [{ type: rules.VPG, props: { vms: [{ vmId: "vm-1" }] } }, { type: rules.VM_REPLICATION, props: { source: { vmId: "vm-2" }, vmName: "db-01" } }];
    assert.deepEqual(rules.unprotectedVms(resources, ["vm-1", "vm-2", "db-01", "vm-3"]), ["vm-3"]);
  });

  it("fails a stack whose policies report replications out of compliance, except organizations ignored", () => {
    const compliance = [{ org: "org-acme", configuredReplications: 2, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: ["C4-1"], nonInstancesCompliant: ["C4-1"] },
      { org: "org-globex", configuredReplications: 3, quotaViolation: 1, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: [], nonInstancesCompliant: [] }];
    const resources = [{ type: rules.REPLICATION_POLICY, name: "gold", props: { displayName: "Gold", compliance } },
      { type: rules.REPLICATION_POLICY, name: "bronze", props: { displayName: "Bronze", compliance: [] } }];
    assert.deepEqual(rules.nonCompliantReplications(resources, []), [
      "gold (policy 'Gold'): org 'org-acme' is out of compliance: replication(s) C4-1",
      "gold (policy 'Gold'): org 'org-globex' is out of compliance: quotaViolation 1",
    ]);
    assert.deepEqual(rules.nonCompliantReplications(resources, ["org-.*"]), []);
  });

  it("ships the pack with the package's version (the policy engine requires one)", () => {
    const root = path.resolve(__dirname, "..", "..", "..");
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));
    assert.equal(read("policy-pack/package.json").version, read("package.json").version);
  });
});
