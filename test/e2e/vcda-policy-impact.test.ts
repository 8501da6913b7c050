import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startVcdaSimulator, VcdaSimulator } from "../../simulator";
import { Project, ResourceSpec, runProcess, SETUP_TIMEOUT_MS, TestStack } from "../../harness/engine";
import { simRequest, skipRestAfterFailure, tearDown } from "./support";

const GOLD = "0a11c0de-0000-4000-8000-00000000601d";
const BRONZE = "0a11c0de-0000-4000-8000-0000000b2011";
const ACME_WEB_01 = "fb3b5c4c-a03c-4a4f-819e-93a54184b142";
const ACME_WEST_VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
const SILVER_HDD_WEST = "04632514-b19a-4be6-8200-90d2c26c3908";

const OPEN = { maxIncoming: -1, allowIncomingProtections: true, allowOutgoingProtections: true };
const policy = (name: string, displayName: string, minRpo: number): ResourceSpec =>
  ({ type: "vcda:ReplicationPolicy", name, args: { displayName, minRpo, ...OPEN, adoptExisting: "overwrite" } });
const assignment = (policyId: string): ResourceSpec => ({ type: "vcda:OrgPolicyAssignment", name: "acme", args: { org: "org-acme", policyId } });
const replication = (rpo: number): ResourceSpec => ({
  type: "vcda:VmReplication", name: "acme-web-01",
  args: {
    source: { type: "vm", site: "cloud-east", vmId: ACME_WEB_01 },
    destination: { type: "vcloud", site: "cloud-west", vdc: ACME_WEST_VDC, storageProfile: SILVER_HDD_WEST },
    rpo, retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 60 }] },
  },
});

/**
 * A provider's policy change seen from its tenants' side, through the real CLI: a provider stack
 * (root@System) manages policies Gold and Bronze and org-acme's assignment, a tenant stack
 * (admin@org-acme) replicates acme-web-01 into org-acme at RPO 10.
 */
describe("e2e: VCDA policy-change impact through the Pulumi CLI (preview warning, review, outputs, drift, tenant check)", function () {
  this.timeout(300_000);
  skipRestAfterFailure();

  let vcda: VcdaSimulator;
  let provider: TestStack;
  let tenant: TestStack;
  let replicationId: string;

  const drprotect = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runProcess(path.join(provider.project.dir, "node_modules", ".bin", "pulumi-drprotect"), args, { cwd: provider.project.dir, env: { ...provider.cliEnv(), ...extraEnv } });
  /** The provider's read-only VCDA connection, as `review --names auto` takes it from the environment. */
  const vcdaEnv = () => ({ VCDA_URL: vcda.url, VCDA_AUTH_TYPE: "vcdCredentials", VCDA_USERNAME: "root@System", VCDA_PASSWORD: "vcda-sim-vcd-password" });
  const savedPreview = async (file: string, args: string[] = []) => {
    const result = await provider.run(["preview", "--json", ...args]);
    assert.equal(result.code, 0, result.output);
    const target = path.join(provider.project.root, file);
    fs.writeFileSync(target, result.stdout);
    return { target, result };
  };

  before(async function () {
    this.timeout(SETUP_TIMEOUT_MS);
    vcda = await startVcdaSimulator({ taskPolls: 1 });
    for (const [id, displayName, minRpo] of [[GOLD, "Gold", 5], [BRONZE, "Bronze", 30]] as const) {
      assert.equal((await simRequest(vcda.url, "PUT", `/_admin/vcda/policies/${id}`, { displayName, minRpo, ...OPEN })).status, 200);
    }
    const project = await Project.program();
    provider = await project.stack("provider", { "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "root@System" },
      { "vcda:password": "vcda-sim-vcd-password" });
    tenant = await project.stack("tenant", { "vcda:url": vcda.url, "vcda:authType": "vcdCredentials", "vcda:username": "admin@org-acme" },
      { "vcda:password": "vcda-sim-tenant-password" });
    await provider.writeResources([policy("gold", "Gold", 5), policy("bronze", "Bronze", 30), assignment(GOLD)]);
    await provider.up();
  });

  after(async function () {
    this.timeout(120_000);
    await tearDown([tenant, provider], [vcda]);
  });

  it("a tenant preview refuses an RPO below every policy's minimum, and warns once that it could not check its org's own policy", async () => {
    const refused = await tenant.previewOf([replication(3)]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /rpo is below the minimum RPO of every replication policy VCDA lists \(the lowest is 5 minutes\)/);
    await tenant.writeResources([replication(10)]);
    const up = await tenant.up();
    assert.match(up.output, /warning: VmReplication: the RPO and retention of replications into organization 'org-acme' were not checked against its replication policy/);
    assert.match(up.output, /GET \/policies\/\{id\}\/status needs a provider administrator/);
    const [created] = await tenant.resources("vcda:VmReplication");
    replicationId = created.outputs.replicationId;
  });

  it("warns at preview that raising Gold's minRpo to 15 puts acme-web-01 (RPO 10) out of compliance, and review fails on that risk", async () => {
    await provider.writeResources([policy("gold", "Gold", 15), policy("bronze", "Bronze", 30), assignment(GOLD)]);
    const warning = new RegExp(`replication policy 'Gold' \\(minRpo 5 → 15\\) puts VM 'acme-web-01' \\(replication ${replicationId}\\) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15`);
    const preview = await provider.preview();
    assert.match(preview.output, warning);
    const { target } = await savedPreview("tighten.json");
    const review = await drprotect(["review", target, "--fail-on", "risk"]);
    assert.equal(review.code, 2, review.output);
    assert.match(review.stdout, /\*\*Policy tightened below live replications\*\*: .*acme-web-01/);
  });

  it("after up, Gold's outputs and the drift report list the replication as non-compliant, and nothing else changes", async () => {
    await provider.up();
    const gold = (await provider.resources("vcda:ReplicationPolicy")).find((r) => r.id === GOLD);
    assert.deepEqual(gold?.outputs.compliance, [{
      org: "org-acme", configuredReplications: 1, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0,
      nonRpoCompliant: [replicationId], nonInstancesCompliant: [],
    }]);
    const drift = await drprotect(["drift", "--run", "--stack", "provider", "--cwd", provider.project.dir]);
    assert.equal(drift.code, 2, drift.output);
    assert.match(drift.stdout, new RegExp(`\\*\\*state\\*\\* replication ${replicationId} of org \`org-acme\` is non-compliant with policy \`Gold\``));
    await provider.assertNoChanges();
  });

  it("reviews moving org-acme to Bronze and deleting Gold with both policies' names", async () => {
    await provider.writeResources([policy("bronze", "Bronze", 30), assignment(BRONZE)]);
    const { target } = await savedPreview("move.json");
    // Bronze does not change, so the preview holds no state of it: its name and limits are read from VCDA
    const review = await drprotect(["review", target, "--fail-on", "risk"], vcdaEnv());
    assert.equal(review.code, 2, review.output);
    assert.match(review.stdout, new RegExp(`Org moved to a stricter policy\\*\\*: .*policyId Gold \\(${GOLD}\\) → Bronze \\(${BRONZE}\\): a stricter policy \\(minRpo 15 → 30\\)`));
    assert.match(review.stdout, /\*\*Policy deleted\*\*: replication policy `Gold`/);
  });
});
