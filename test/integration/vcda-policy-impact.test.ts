import assert from "node:assert/strict";
import type { VmReplicationInputs } from "../../provider/inputs.generated";
import { clearPreflightCache } from "../../provider/preflight";
import { createVcdaClient } from "../../provider/vcda/client";
import { createOrgPolicyAssignmentHandler } from "../../provider/vcda/orgPolicyAssignment";
import { createReplicationPolicyHandler, ReplicationPolicyState } from "../../provider/vcda/replicationPolicy";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";

const inventory = loadInventory();
const acmeWest = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
const globexWest = inventory.vdcs.find((v) => v.org === "org-globex" && v.site === "cloud-west")!;
const vmNamed = (name: string) => inventory.vms.find((v) => v.name === name)!;
const GOLD = "0a11c0de-0000-4000-8000-00000000601d";
const BRONZE = "0a11c0de-0000-4000-8000-0000000b2011";
const OPEN = { maxIncoming: -1, allowIncomingProtections: true, allowOutgoingProtections: true };

/** The warnings the provider process writes to stderr while `step` runs. */
async function warningsOf(step: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => lines.push(String(chunk)) > 0) as unknown as typeof process.stderr.write;
  try {
    await step();
  } finally {
    process.stderr.write = write;
  }
  return lines.filter((l) => l.startsWith("warning: ")).map((l) => l.trim());
}

describe("VCDA policy impact against the simulator (real HTTP)", () => {
  let sim: VcdaSimulator;
  const clientAs = (username: string, password: string) => () =>
    createVcdaClient({ url: sim.url, authType: "vcdCredentials", username, password, insecure: false },
      { retry: { attempts: 1 }, pollInitialDelayMs: 5, pollMaxDelayMs: 20 });
  const asProvider = clientAs("root@System", "vcda-sim-vcd-password");
  const asAcme = clientAs("admin@org-acme", "vcda-sim-tenant-password");
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sim.url}/_admin/vcda${path}`, { method, headers: { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    return response.status === 204 ? undefined : response.json() as Promise<any>;
  };
  const replicate = (vm: string, vdc: { id: string }, rpo: number): VmReplicationInputs => ({
    source: { type: "vm", site: "cloud-east", vmId: vmNamed(vm).id },
    destination: { type: "vcloud", site: "cloud-west", vdc: vdc.id, storageProfile: "*" },
    rpo, retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 60 }] },
  } as VmReplicationInputs);
  const policies = createReplicationPolicyHandler(asProvider);
  let goldState: ReplicationPolicyState;
  let acmeWeb: string;

  before(async () => {
    sim = await startVcdaSimulator({ taskPolls: 1 });
    await admin("PUT", `/policies/${GOLD}`, { displayName: "Gold", minRpo: 5, ...OPEN });
    await admin("PUT", `/policies/${BRONZE}`, { displayName: "Bronze", minRpo: 30, ...OPEN });
    await admin("PUT", "/orgs/org-acme/policy", { policyId: GOLD });
    await admin("PUT", "/orgs/org-globex/policy", { policyId: GOLD });
    const replications = createVmReplicationHandler(asProvider);
    // org-acme and org-globex have no replication yet, so VCDA's answers do not prove their policy: check warns so
    await warningsOf(async () => {
      acmeWeb = (await replications.create((await replications.check({}, replicate("acme-web-01", acmeWest, 10))).inputs!)).id;
      await replications.create((await replications.check({}, replicate("globex-web-01", globexWest, 60))).inputs!);
    });
    goldState = (await policies.read(GOLD, { displayName: "Gold", minRpo: 5, ...OPEN } as ReplicationPolicyState)).props!;
  });
  after(async () => { await sim.close(); });
  beforeEach(() => clearPreflightCache());

  it("the simulator's policy status reports the replication a tightened policy no longer admits, and keeps it running", async () => {
    await admin("PUT", `/policies/${GOLD}`, { minRpo: 15 });
    try {
      const status = await asProvider().policyStatus(GOLD);
      assert.deepEqual(status, [
        { org: "org-acme", configuredReplications: 1, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: [acmeWeb], nonInstancesCompliant: [] },
        { org: "org-globex", configuredReplications: 1, quotaViolation: 0, protectionViolation: 0, migrationViolation: 0, nonRpoCompliant: [], nonInstancesCompliant: [] },
      ]);
      assert.ok((await admin("GET", "/state")).replications[acmeWeb], "the replication keeps running");
      // the policy's output names only the organization out of compliance
      const read = await policies.read(GOLD, goldState);
      assert.deepEqual(read.props?.compliance, [status[0]]);
    } finally {
      await admin("PUT", `/policies/${GOLD}`, { minRpo: 5 });
    }
  });

  it("diff of a tightened policy warns about each replication it puts out of compliance, reading each organization once", async () => {
    sim.journal.clear();
    const warnings = await warningsOf(() => policies.diff(GOLD, goldState, { ...goldState, minRpo: 15, maxIncoming: 0 } as never));
    assert.deepEqual(warnings, [
      `warning: pulumi-drprotect policy impact [vcda:ReplicationPolicy ${GOLD}]: replication policy 'Gold' (minRpo 5 → 15, maxIncoming -1 → 0) puts `
        + `VM 'acme-web-01' (replication ${acmeWeb}) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 15`,
      `warning: pulumi-drprotect policy impact [vcda:ReplicationPolicy ${GOLD}]: replication policy 'Gold' (minRpo 5 → 15, maxIncoming -1 → 0) puts `
        + "org 'org-acme' out of compliance: 1 incoming replications exceed maxIncoming 0 by 1",
      `warning: pulumi-drprotect policy impact [vcda:ReplicationPolicy ${GOLD}]: replication policy 'Gold' (minRpo 5 → 15, maxIncoming -1 → 0) puts `
        + "org 'org-globex' out of compliance: 1 incoming replications exceed maxIncoming 0 by 1",
    ]);
    await warningsOf(() => policies.diff(GOLD, goldState, { ...goldState, minRpo: 15 } as never));
    const reads = sim.journal.list().filter((e) => e.path === "/vm-replications").map((e) => e.method);
    assert.deepEqual(reads, ["GET", "GET"], "one read per organization per provider process");
    assert.ok(sim.journal.list().every((e) => !e.mutating));
  });

  it("diff of a loosened policy reads nothing", async () => {
    sim.journal.clear();
    assert.deepEqual(await warningsOf(() => policies.diff(GOLD, goldState, { ...goldState, minRpo: 1 } as never)), []);
    assert.deepEqual(sim.journal.list().map((e) => e.path).filter((p) => p !== "/sessions"), []);
  });

  it("diff of an organization moved to a stricter policy names its replications the new policy does not admit", async () => {
    const assignments = createOrgPolicyAssignmentHandler(asProvider);
    const olds = { org: "org-acme", policyId: GOLD, policyDisplayName: "Gold" };
    const warnings = await warningsOf(() => assignments.diff("org-acme", olds, { org: "org-acme", policyId: BRONZE }));
    assert.deepEqual(warnings, [`warning: pulumi-drprotect policy impact [vcda:OrgPolicyAssignment org-acme]: moving org 'org-acme' from policy 'Gold' to 'Bronze' puts `
      + `VM 'acme-web-01' (replication ${acmeWeb}) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 30`]);
  });

  it("check of a new assignment warns about what it does to the organization's replications, from the policy VCDA proves it has", async () => {
    const assignments = createOrgPolicyAssignmentHandler(asProvider);
    const warnings = await warningsOf(async () => assert.deepEqual((await assignments.check({}, { org: "org-acme", policyId: BRONZE })).failures, []));
    assert.deepEqual(warnings, [`warning: pulumi-drprotect policy impact [vcda:OrgPolicyAssignment org-acme]: moving org 'org-acme' from policy 'Gold' to 'Bronze' puts `
      + `VM 'acme-web-01' (replication ${acmeWeb}) of org 'org-acme' out of compliance: RPO 10 minutes is below minRpo 30`]);
    assert.ok(sim.journal.list().every((e) => !e.mutating));
  });

  it("a tenant preview refuses an RPO no listed policy allows, and warns once that it cannot read its organization's policy", async () => {
    const tenant = createVmReplicationHandler(asAcme);
    const refused = await tenant.check({}, replicate("acme-web-02", acmeWest, 2));
    assert.deepEqual(refused.failures?.map((f) => f.reason), ["VmReplication: rpo is below the minimum RPO of every replication policy VCDA lists (the lowest is 5 minutes), "
      + "so also below that of organization 'org-acme' [rule: org policy minRpo]"]);
    const warnings = await warningsOf(async () => {
      assert.deepEqual((await tenant.check({}, replicate("acme-web-02", acmeWest, 10))).failures, []);
      await tenant.check({}, replicate("acme-app-01", acmeWest, 20));
    });
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.match(warnings[0], /VmReplication: the RPO and retention of replications into organization 'org-acme' were not checked against its replication policy .*needs a provider administrator; a tenant session gets 403/);
  });
});
