import { strict as assert } from "node:assert";
import type { OrgPolicyAssignmentInputs, VappReplicationInputs, VmReplicationInputs, VpgInputs } from "../../provider/inputs.generated";
import { clearPreflightCache } from "../../provider/preflight";
import { createVcdaClient } from "../../provider/vcda/client";
import { createOrgPolicyAssignmentHandler } from "../../provider/vcda/orgPolicyAssignment";
import { createVappReplicationHandler } from "../../provider/vcda/vappReplication";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { UNKNOWN } from "../../provider/state";
import { createZertoClient } from "../../provider/zerto/client";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { loadInventory, startVcdaSimulator, VcdaSimulator } from "../../simulator/vcda";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { vpgArgs, zvmVmId } from "../../harness/fixtures";

const ZVM_PASSWORD = "zerto-sim-password";
const reasons = (result: { failures?: Array<{ reason: string }> }) => (result.failures ?? []).map((f) => f.reason);

describe("preflight: Vpg check against the ZVM simulator (real HTTP)", () => {
  let sim: ZvmSimulator;
  const handlerWith = (password: string, url = () => sim.url) =>
    createVpgHandler(() => createZertoClient({ url: url(), username: "admin", password, authMode: "session", insecure: false }, { retry: { attempts: 1 } }));
  const handler = handlerWith(ZVM_PASSWORD);
  const inputs = (overrides: Partial<VpgInputs> = {}) => ({ ...vpgArgs("pf-db", [zvmVmId(3)]), ...overrides }) as VpgInputs;
  const requests = () => sim.journal.list().map((e) => `${e.method} ${e.path}`);

  before(async () => { sim = await startZvmSimulator(); });
  after(async () => { await sim.close(); });
  beforeEach(() => {
    clearPreflightCache();
    sim.journal.clear();
  });

  it("accepts a valid new VPG with read-only requests and one login", async () => {
    assert.deepEqual(reasons(await handler.check({}, inputs())), []);
    assert.ok(requests().every((r) => r.startsWith("GET ") || r === "POST /v1/session/add"), requests().join("\n"));
    assert.equal(requests().filter((r) => r === "POST /v1/session/add").length, 1);
  });

  it("names each recovery-site object that does not exist at the recovery site", async () => {
    const bad = inputs();
    bad.recovery = { ...bad.recovery, folderId: `${bad.recovery.folderId}0` };
    bad.networks = { ...bad.networks, failoverTestNetworkId: bad.networks.failoverNetworkId!.replace(/network-\d+$/, "network-9999") };
    assert.deepEqual(reasons(await handler.check({}, bad)), [
      "Vpg: recovery.folderId names no folder at recovery site 'Site-B DR' [rule: exists at recovery site]",
      "Vpg: networks.failoverTestNetworkId names no network at recovery site 'Site-B DR' [rule: exists at recovery site]",
    ]);
  });

  it("refuses a name another VPG has, unless adoptExisting says to take it over", async () => {
    const first = await handler.create((await handler.check({}, inputs())).inputs!);
    clearPreflightCache(); // a new run
    const other = inputs({ vms: [{ vmId: zvmVmId(4) }] });
    assert.match(reasons(await handler.check({}, other)).join("\n"), /^Vpg: name is taken by VPG 'pf-db' \(.+\) on the ZVM; .*\[rule: name free\]$/);
    assert.deepEqual(reasons(await handler.check({}, { ...other, adoptExisting: "overwrite" })), []);
    await handler.delete(first.id, first.outs);
  });

  it("checks nothing, and sends nothing, when the inputs did not change", async () => {
    const wrong = handlerWith("wrong-password-1234");
    assert.deepEqual(reasons(await wrong.check(inputs(), inputs())), []);
    assert.deepEqual(requests(), []);
  });

  it("checks only what changed: a new VM, not the unchanged sites and objects", async () => {
    const before = inputs();
    const after = inputs({ vms: [{ vmId: zvmVmId(3) }, { vmId: `${zvmVmId(3)}9` }] });
    assert.deepEqual(reasons(await handler.check(before, after)), [`Vpg: vms[1].vmId names no VM at protected site 'Site-A Prod' [rule: VM exists]`]);
    assert.ok(!requests().some((r) => /hostclusters|datastores|folders|networks/.test(r)), requests().join("\n"));
  });

  it("skips values still unknown at preview", async () => {
    assert.deepEqual(reasons(await handler.check({}, inputs({ recoverySiteId: UNKNOWN, vms: [{ vmId: UNKNOWN }] }))), []);
  });

  it("reports a refused login once, in the provider's words, without the password", async () => {
    // a ZVM of its own: logins are shared per endpoint and user, and this one must never succeed
    const zvm = await startZvmSimulator();
    try {
      const wrong = handlerWith("wrong-password-1234", () => zvm.url);
      const first = reasons(await wrong.check({}, inputs()));
      const second = reasons(await wrong.check({}, inputs({ name: "pf-other" })));
      assert.equal(first.length, 1);
      assert.match(first[0], /^Vpg: Zerto login to http:\/\/127\.0\.0\.1:\d+ as user 'admin' with the vCenter login method .* was refused.*\[rule: Zerto connection\]/);
      assert.ok(!first[0].includes("wrong-password-1234"));
      assert.deepEqual(second, first);
      assert.equal(zvm.journal.list().filter((e) => e.path === "/v1/session/add").length, 1, "the refused login was tried again");
    } finally {
      await zvm.close();
    }
  });
});

describe("preflight: VmReplication check against the VCDA simulator (real HTTP)", () => {
  let sim: VcdaSimulator;
  const inventory = loadInventory();
  const acmeWest = inventory.vdcs.find((v) => v.org === "org-acme" && v.site === "cloud-west")!;
  const web = inventory.vms.find((v) => v.name === "acme-web-01")!;
  const clientAs = (username: string, password: string) => () =>
    createVcdaClient({ url: sim.url, authType: "vcdCredentials", username, password, insecure: false }, { retry: { attempts: 1 } });
  const handlerAs = (username: string, password: string) => createVmReplicationHandler(clientAs(username, password));
  const provider = handlerAs("root@System", "vcda-sim-vcd-password");
  const admin = (method: string, path: string, body?: unknown) => fetch(`${sim.url}${path}`, { method, headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const setDefaultPolicy = (settings: Record<string, unknown>) => admin("PUT", "/_admin/vcda/policies/default", settings);
  // read over the admin API, as an operator would: every request since the last clear, each with its mutating flag
  const mutatingRequests = async () => ((await (await admin("GET", "/_admin/journal")).json()) as Array<{ method: string; path: string; mutating: boolean }>)
    .filter((e) => e.mutating).map((e) => `${e.method} ${e.path}`);
  const tenant = handlerAs("admin@org-acme", "vcda-sim-tenant-password");
  const program = (overrides: Partial<VmReplicationInputs> = {}): VmReplicationInputs => ({
    source: { type: "vm", site: "cloud-east", vmId: web.id },
    destination: { type: "vcloud", site: "cloud-west", vdc: acmeWest.id, storageProfile: acmeWest.storageProfiles[0].id },
    rpo: 30,
    retentionPolicy: { rules: [{ numberOfInstances: 4, distance: 60 }] },
    ...overrides,
  });

  before(async () => { sim = await startVcdaSimulator(); });
  after(async () => { await sim.close(); });
  beforeEach(async () => {
    clearPreflightCache();
    // the shipped default policy allows no protections at all: open it, as a provider administrator would have
    await setDefaultPolicy({ allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true });
    sim.journal.clear();
  });

  it("accepts a replication that fits, reading only", async () => {
    assert.deepEqual(reasons(await provider.check({}, program())), []);
    assert.ok(sim.journal.list().every((e) => !e.mutating));
  });

  it("names a source VM, vDC or storage profile the sites do not have", async () => {
    assert.deepEqual(reasons(await provider.check({}, program({ source: { type: "vm", site: "cloud-east", vmId: "00000000-0000-4000-8000-000000000000" } }))),
      ["VmReplication: source.vmId names no VM at site 'cloud-east' that this connection may replicate [rule: VM exists]"]);
    const onPremVm = inventory.vcVms[0];
    assert.deepEqual(reasons(await provider.check({}, program({ source: { type: "vcVm", site: "onprem-dc1", vcUuid: onPremVm.vcUuid, vmId: onPremVm.moref } }))), []);
    assert.deepEqual(reasons(await provider.check({}, program({ source: { type: "vcVm", site: "onprem-dc1", vcUuid: onPremVm.vcUuid, vmId: "vm-999" } }))),
      [`VmReplication: source.vmId names no VM in vCenter '${onPremVm.vcUuid}' at site 'onprem-dc1' that this connection may replicate [rule: VM exists]`]);
    assert.deepEqual(reasons(await provider.check({}, program({ source: { type: "vcVm", site: "onprem-dc1", vcUuid: "00000000-0000-4000-8000-000000000000", vmId: onPremVm.moref } }))),
      ["VmReplication: source.vmId names no VM in vCenter '00000000-0000-4000-8000-000000000000' at site 'onprem-dc1' that this connection may replicate [rule: VM exists]"]);
    assert.deepEqual(reasons(await provider.check({}, program({ destination: { type: "vcloud", site: "cloud-east", vdc: acmeWest.id } }))),
      ["VmReplication: destination.vdc names no vDC at site 'cloud-east' that this connection may use [rule: vDC exists]"]);
    assert.match(reasons(await provider.check({}, program({ destination: { type: "vcloud", site: "cloud-west", vdc: acmeWest.id, storageProfile: "nope" } }))).join(),
      /^VmReplication: destination\.storageProfile names no storage profile of vDC 'acme-west-vdc' \(available: 'Gold-SSD'.*\[rule: storage profile exists\]$/);
    assert.deepEqual(reasons(await provider.check({}, program({ destination: { type: "vcloud", site: "cloud-north", vdc: acmeWest.id } }))),
      ["VmReplication: destination.site names no site known to this VCDA (known: 'cloud-east', 'cloud-west', 'onprem-dc1') [rule: site exists]"]);
  });

  it("holds RPO and retention to the destination org's policy", async () => {
    assert.deepEqual(reasons(await provider.check({}, program({ rpo: 10, retentionPolicy: { rules: [{ numberOfInstances: 30, distance: 60 }] } }))), [
      "VmReplication: rpo is below the minimum RPO 15 minutes allowed by policy 'Default Policy' of organization 'org-acme' (the destination vDC's) [rule: org policy minRpo]",
      "VmReplication: retentionPolicy keeps 30 instances, more than the 24 allowed by policy 'Default Policy' of organization 'org-acme' (the destination vDC's) [rule: org policy maxInstances]",
    ]);
  });

  it("refuses a new replication into an organization whose policy allows no incoming protections, naming the rule, without a mutating request", async () => {
    await setDefaultPolicy({ allowIncomingProtections: false });
    sim.journal.clear();
    assert.deepEqual(reasons(await provider.check({}, program())), [
      "VmReplication: destination.vdc is in organization 'org-acme', whose policy 'Default Policy' allows no incoming protections (allowIncomingProtections is false) [rule: org policy allowIncomingProtections]",
    ]);
    assert.deepEqual(await mutatingRequests(), []);
  });

  it("refuses a new replication out of an organization whose policy allows no outgoing protections, or migrations for a migration", async () => {
    await setDefaultPolicy({ allowOutgoingProtections: false, allowOutgoingMigrations: false });
    sim.journal.clear();
    const expected = (kind: string, flag: string) =>
      `VmReplication: source.vmId is in organization 'org-acme', whose policy 'Default Policy' allows no outgoing ${kind} (${flag} is false) [rule: org policy ${flag}]`;
    assert.deepEqual(reasons(await provider.check({}, program())), [expected("protections", "allowOutgoingProtections")]);
    assert.deepEqual(reasons(await provider.check({}, program({ isMigration: true }))), [expected("migrations", "allowOutgoingMigrations")]);
    assert.deepEqual(await mutatingRequests(), []);
  });

  it("does not hold an existing replication's update to the direction flags, which gate only new ones", async () => {
    await setDefaultPolicy({ allowIncomingProtections: false, allowOutgoingProtections: false });
    assert.deepEqual(reasons(await provider.check(program(), program({ rpo: 60 }))), []);
  });

  it("refuses a vApp replication its organizations' policy forbids, alike", async () => {
    await setDefaultPolicy({ allowIncomingProtections: false, allowOutgoingProtections: false });
    sim.journal.clear();
    const vapp = createVappReplicationHandler(clientAs("root@System", "vcda-sim-vcd-password"));
    const inputs = { ...program(), source: { type: "vapp", site: "cloud-east", vappId: web.vappId! } } as unknown as VappReplicationInputs;
    assert.deepEqual(reasons(await vapp.check({}, inputs)), [
      "VappReplication: source.vappId is in organization 'org-acme', whose policy 'Default Policy' allows no outgoing protections (allowOutgoingProtections is false) [rule: org policy allowOutgoingProtections]",
      "VappReplication: destination.vdc is in organization 'org-acme', whose policy 'Default Policy' allows no incoming protections (allowIncomingProtections is false) [rule: org policy allowIncomingProtections]",
    ]);
    assert.deepEqual(await mutatingRequests(), []);
  });

  it("refuses an assignment to an organization that does not exist, naming it and the rule, without a mutating request", async () => {
    const assignment = createOrgPolicyAssignmentHandler(clientAs("root@System", "vcda-sim-vcd-password"));
    const inputs: OrgPolicyAssignmentInputs = { org: "org-nonexistent", policyId: "default" };
    assert.deepEqual(reasons(await assignment.check({}, inputs)), [
      "OrgPolicyAssignment: org 'org-nonexistent' names no organization of this VCDA's Cloud Director (known: 'org-acme', 'org-globex', 'org-initech') [rule: org exists]",
    ]);
    assert.deepEqual(reasons(await assignment.check({}, { ...inputs, org: "org-acme" })), []);
    assert.deepEqual(await mutatingRequests(), []);
  });

  it("skips the policy checks for a tenant, who cannot read an org's policy, but still checks the inventory", async () => {
    // with an org assigned to a policy, finding org-acme's takes GET /policies/{id}/status, an administrator's request
    await fetch(`${sim.url}/_admin/vcda/policies/0a11c0de-0000-4000-8000-000000000002`, { method: "PUT", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ displayName: "globex", minRpo: 1, maxInstances: 10, maxPinnedInstances: 0, maxIncoming: -1, allowIncomingProtections: true,
        allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true }) });
    await fetch(`${sim.url}/_admin/vcda/orgs/org-globex/policy`, { method: "PUT", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ policyId: "0a11c0de-0000-4000-8000-000000000002" }) });
    await setDefaultPolicy({ allowIncomingProtections: false, allowOutgoingProtections: false });
    assert.deepEqual(reasons(await tenant.check({}, program({ rpo: 10 }))), []);
    assert.equal(reasons(await tenant.check({}, program({ source: { type: "vm", site: "cloud-east", vmId: "00000000-0000-4000-8000-000000000000" } }))).length, 1);
  });

  it("skips, rather than fails, the checks a server that does not serve /sites and /inventory cannot answer (they are not in the 4.1 guide)", async () => {
    const rule = sim.faults.add({ kind: "status", status: 404, path: "^/(sites|inventory)" });
    try {
      const unknownVm = program({ source: { type: "vm", site: "cloud-east", vmId: "00000000-0000-4000-8000-000000000000" }, rpo: 10 });
      // the VM cannot be looked up, so it is not judged; the policy is read through documented endpoints only when the vDC is known
      assert.deepEqual(reasons(await provider.check({}, unknownVm)), []);
      assert.ok(sim.journal.list().some((e) => e.path === "/inventory/vms" && e.status === 404), "the inventory was asked");
    } finally {
      sim.faults.remove(rule);
    }
  });
});
