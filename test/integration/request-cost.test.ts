import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimAdmin } from "../../harness/admin";
import { allowReplication, CREDENTIALS, startSims, Sims } from "../../harness/sims";
import { policyArgs, replicationArgs, vcdaInventoryFile, vcdaVmId, vpgArgs, zvmInventoryFile, zvmVmId } from "../../harness/fixtures";
import { readVpgSettings } from "../../cli/settingsRead";
import { configure } from "../../provider/connection";
import { HttpClient, RunListings } from "../../provider/http";
import type { ReplicationPolicyInputs, VmReplicationInputs, VpgInputs } from "../../provider/inputs.generated";
import { clearPreflightCache } from "../../provider/preflight";
import { withSharedListings } from "../../provider/sharedLookups";
import { findZertoVm, ZERTO_LOOKUP_CALLS } from "../../provider/zerto/lookups";
import { createVcdaClient } from "../../provider/vcda/client";
import { createOrgPolicyAssignmentHandler } from "../../provider/vcda/orgPolicyAssignment";
import { createReplicationPolicyHandler } from "../../provider/vcda/replicationPolicy";
import { createVmReplicationHandler } from "../../provider/vcda/vmReplication";
import { createZertoClient } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { FaultInjector, RequestJournal, Router, SimClock, SimServer, sleep } from "../../simulator/common";
import { FAST_ZERTO } from "../fixtures/zertoClient";

/**
 * What a run costs in requests, over real HTTP to the simulators: the throttle and the counters of
 * the simulators, the in-flight limit and 429 handling of the client, and the run's shared listings.
 * Only request counts are asserted, never times.
 */

const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-cost-intents-")));
after(() => fs.rmSync(intents.dir, { recursive: true, force: true }));

const zertoConnection = (sims: Sims) =>
  ({ url: sims.zvm.url, authMode: "session" as const, username: CREDENTIALS.zvmUser, password: CREDENTIALS.zvmPassword, insecure: false });
const vcdaConnection = (sims: Sims) =>
  ({ url: sims.vcda.url, authType: "vcdCredentials" as const, username: CREDENTIALS.vcdaAdmin, password: CREDENTIALS.vcdaAdminPassword, insecure: false });

/** A VPG handler whose clients share `listings` (one run), as the provider process's do. */
function vpgHandler(sims: Sims, listings?: RunListings) {
  return createVpgHandler(() => createZertoClient(zertoConnection(sims), { ...FAST_ZERTO, listings }), intents);
}

/** `count` VPGs of one VM each, from the protected site's VM number `firstVm` on. */
async function createVpgs(sims: Sims, count: number, prefix: string, listings?: RunListings, firstVm = 0): Promise<string[]> {
  const handler = vpgHandler(sims, listings);
  return Promise.all(Array.from({ length: count }, async (_, i) => {
    const checked = await handler.check({}, vpgArgs(`${prefix}-${i}`, [zvmVmId(firstVm + i)]) as unknown as VpgInputs);
    assert.deepEqual(checked.failures ?? [], []);
    return (await handler.create(checked.inputs!)).id;
  }));
}

describe("request cost: simulator throttle and counters", function () {
  this.timeout(60_000);

  it("answers 429 with Retry-After above its rate, and counts requests by kind", async () => {
    const sims = await startSims({ throttlePerSecond: 5 });
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, () => fetch(`${sims.zvm.url}/v1/localsite`)));
      const throttled = answers.filter((a) => a.status === 429);
      assert.equal(throttled.length, 7, "5 admitted in the rolling second, the rest refused");
      assert.ok(throttled.every((a) => Number(a.headers.get("retry-after")) >= 1));
      assert.deepEqual(await sims.zvmAdmin.counters(), { reads: 5, writes: 0, polls: 0, logins: 0, throttled: 7 });
      await sims.zvmAdmin.setLoad({ throttlePerSecond: 0 });
      await sims.zvmAdmin.resetCounters();
      await createVpgs(sims, 1, "counted");
      const counts = await sims.zvmAdmin.counters();
      assert.equal(counts.logins, 1);
      assert.ok(counts.writes >= 3 && counts.polls >= 1 && counts.reads >= 1, JSON.stringify(counts));
      assert.equal(counts.throttled, 0);
    } finally {
      await sims.close();
    }
  });

  it("refuses a load setting that is not a whole number", async () => {
    const sims = await startSims();
    try {
      await assert.rejects(sims.zvmAdmin.setLoad({ latencyMs: -1 }), /latencyMs must be a whole number/);
    } finally {
      await sims.close();
    }
  });
});

describe("request cost: a polite client", function () {
  this.timeout(120_000);

  it("keeps at most maxConcurrentRequests in flight to one appliance, across clients", async () => {
    let inFlight = 0;
    let most = 0;
    const api = new Router().on("GET", "/slow", async () => {
      most = Math.max(most, ++inFlight);
      await sleep(30);
      inFlight--;
      return { status: 200, body: {} };
    });
    const server = new SimServer({ name: "slow", api, errorBody: (_s, e) => ({ Message: e.message }), clock: new SimClock(), faults: new FaultInjector(1), journal: new RequestJournal() });
    const url = await server.listen();
    try {
      const clients = [new HttpClient({ product: "Test", baseUrl: url, maxInFlight: 3 }), new HttpClient({ product: "Test", baseUrl: `${url}/` })];
      await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2].request({ method: "GET", path: "/slow" })));
      assert.equal(most, 3);
    } finally {
      await server.close();
    }
  });

  it("creates, refreshes and deletes VPGs and policies with no failure while both appliances throttle at 20 requests/s", async () => {
    const sims = await startSims({ inventoryFile: zvmInventoryFile(6), throttlePerSecond: 20 }, { throttlePerSecond: 20 });
    try {
      await allowReplication(sims);
      const listings = new RunListings();
      const vpgs = vpgHandler(sims, listings);
      const policies = createReplicationPolicyHandler(() => createVcdaClient(vcdaConnection(sims), { pollInitialDelayMs: 20, pollMaxDelayMs: 100, listings }));
      const vpgIds = await createVpgs(sims, 6, "throttled", listings);
      const policyIds = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
        const checked = await policies.check({}, policyArgs(`throttled-${i}`) as unknown as ReplicationPolicyInputs);
        return (await policies.create(checked.inputs!)).id;
      }));
      const reads = await Promise.all([
        ...vpgIds.map((id) => vpgs.read(id, { vpgId: id, name: "x" } as never)),
        ...policyIds.map((id) => policies.read(id, {} as never)),
      ]);
      assert.ok(reads.every((r) => r.id), "every object read back");
      await Promise.all(vpgIds.map((id) => vpgs.delete(id, { vpgId: id, name: id } as never)));
      await Promise.all(policyIds.map((id) => policies.delete(id, { displayName: id } as never)));
      const [zvm, vcda] = [await sims.zvmAdmin.counters(), await sims.vcdaAdmin.counters()];
      assert.ok(zvm.throttled > 0 && vcda.throttled > 0, `both appliances throttled the run (zvm ${zvm.throttled}, vcda ${vcda.throttled})`);
      assert.deepEqual((await sims.zvmAdmin.call("GET", "/_admin/zvm/vpgs")).length, 0);
    } finally {
      await sims.close();
    }
  });
});

describe("request cost: listings read once per run", function () {
  this.timeout(60_000);
  let sims: Sims;

  before(async () => {
    sims = await startSims({ inventoryFile: zvmInventoryFile(8) });
  });
  after(() => sims.close());

  const apiPaths = async (admin: SimAdmin) => (await admin.journal()).filter((e) => !/session|sessions/.test(e.path)).map((e) => `${e.method} ${e.path}`);

  it("refreshes N VPGs with one GET /v1/vpgs and one GET /v1/vms, however many there are", async () => {
    const ids = await createVpgs(sims, 8, "listed");
    await sims.zvmAdmin.clearJournal();
    const handler = vpgHandler(sims, new RunListings());
    const read = await Promise.all(ids.map((id) => handler.read(id, { vpgId: id, name: "x" } as never)));
    assert.deepEqual(read.map((r) => r.id), ids);
    assert.deepEqual((await apiPaths(sims.zvmAdmin)).sort(), ["GET /v1/vms", "GET /v1/vpgs"]);
    for (const id of ids) await sims.zvmAdmin.call("DELETE", `/_admin/zvm/vpgs/${id}`);
  });

  it("sees a change made before the run, and in the same run a VPG created after the listing was read", async () => {
    const [first] = await createVpgs(sims, 1, "before-run");
    await sims.zvmAdmin.call("PATCH", `/_admin/zvm/vpgs/${first}`, { RpoInSeconds: 1200 });
    const listings = new RunListings();
    const handler = vpgHandler(sims, listings);
    const before = await handler.read(first, { vpgId: first, name: "before-run-0", rpoSeconds: 300 } as never);
    assert.equal(before.props?.rpoSeconds, 1200, "the out-of-band change made before the run is seen");
    const [second] = await createVpgs(sims, 1, "in-run", listings, 1);
    const after = await handler.read(second, { vpgId: second, name: "in-run-0" } as never);
    assert.equal(after.id, second, "the VPG created in the run is read, not taken for gone");
    for (const id of [first, second]) await sims.zvmAdmin.call("DELETE", `/_admin/zvm/vpgs/${id}`);
  });

  it("refreshes N replication policies with one GET /policies", async () => {
    const listings = new RunListings();
    const handler = createReplicationPolicyHandler(() => createVcdaClient(vcdaConnection(sims), { pollInitialDelayMs: 20, listings }));
    const ids = await Promise.all(Array.from({ length: 5 }, async (_, i) =>
      (await handler.create((await handler.check({}, policyArgs(`listed-${i}`) as unknown as ReplicationPolicyInputs)).inputs!)).id));
    await sims.vcdaAdmin.clearJournal();
    const read = await Promise.all(ids.map((id) => handler.read(id, {} as never)));
    assert.ok(read.every((r, i) => r.id === ids[i]));
    assert.deepEqual(await apiPaths(sims.vcdaAdmin), ["GET /policies"]);
  });

  it("refreshes a policy and the organizations assigned to it with one GET /policies and one status read", async () => {
    const listings = new RunListings();
    const clientFor = () => createVcdaClient(vcdaConnection(sims), { pollInitialDelayMs: 20, listings });
    const policies = createReplicationPolicyHandler(clientFor);
    const assignments = createOrgPolicyAssignmentHandler(clientFor);
    const { id: policyId, outs } = await policies.create((await policies.check({}, policyArgs("shared-status") as unknown as ReplicationPolicyInputs)).inputs!);
    const orgs = ["org-acme", "org-globex", "org-initech"];
    for (const org of orgs) await assignments.create({ org, policyId } as never);
    await sims.vcdaAdmin.clearJournal();
    const read = await Promise.all([policies.read(policyId, outs), ...orgs.map((org) => assignments.read(org, { org, policyId } as never))]);
    assert.deepEqual(read.slice(1).map((r) => r.props?.policyId), [policyId, policyId, policyId]);
    assert.deepEqual((await apiPaths(sims.vcdaAdmin)).sort(), ["GET /policies", `GET /policies/${policyId}/status`]);
    for (const org of orgs) await assignments.delete(org, { org, policyId } as never);
    await policies.delete(policyId, outs);
  });

  it("reads the drift command's full settings with two listings in all and one draft per VPG, leaving none open", async () => {
    const ids = await createVpgs(sims, 6, "drift", undefined, 2);
    const handler = vpgHandler(sims);
    const steps = await Promise.all(ids.map(async (id, i) => ({
      op: "refresh", urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/zerto:Vpg::drift-${i}`,
      oldState: { type: "pulumi-nodejs:dynamic/zerto:Vpg", outputs: (await handler.read(id, { vpgId: id, name: `drift-${i}` } as never)).props! },
    })));
    await sims.zvmAdmin.clearJournal();
    const { url, username, password } = zertoConnection(sims);
    configure({ get: (key) => ({ "zerto:url": url, "zerto:authMode": "session", "zerto:username": username, "zerto:password": password })[key] });
    try {
      const read = await readVpgSettings(steps as never);
      assert.equal(read.failures.size, 0, [...read.failures.values()].join("; "));
      assert.equal(read.outputs.size, ids.length);
    } finally {
      configure({ get: () => undefined });
    }
    const paths = await apiPaths(sims.zvmAdmin);
    assert.deepEqual(paths.filter((p) => !p.includes("vpgSettings")).sort(), ["GET /v1/vms", "GET /v1/vpgs"]);
    assert.equal(paths.filter((p) => p === "POST /v1/vpgSettings").length, ids.length, "one draft per VPG");
    // per VPG: the drafts listed (to recognise ours if the POST's answer were lost), opened, read, deleted
    assert.equal(paths.length, 2 + 4 * ids.length);
    assert.equal(sims.zvm.liveDrafts(), 0);
    for (const id of ids) await sims.zvmAdmin.call("DELETE", `/_admin/zvm/vpgs/${id}`);
  });
});

describe("request cost: preflight per distinct site, not per resource", function () {
  this.timeout(60_000);
  let sims: Sims;

  before(async () => {
    sims = await startSims({ inventoryFile: zvmInventoryFile(40) }, { inventoryFile: vcdaInventoryFile(40) });
    await allowReplication(sims);
  });
  after(() => sims.close());
  beforeEach(() => clearPreflightCache());

  /** API requests (logins apart) made while `preview` checks new resources. */
  const requestsWhile = async (admin: SimAdmin, preview: () => Promise<Array<{ failures?: unknown[] }>>) => {
    clearPreflightCache();
    await admin.clearJournal();
    const checked = await preview();
    assert.ok(checked.every((c) => !c.failures?.length), JSON.stringify(checked.find((c) => c.failures?.length)?.failures));
    return (await admin.journal()).filter((e) => !/session/.test(e.path)).map((e) => `${e.method} ${e.path}${e.query}`).sort();
  };

  it("checks new VPGs to one recovery site at the same cost for 5 as for 40, each look-up made once", async () => {
    const handler = vpgHandler(sims);
    const preview = (n: number) => requestsWhile(sims.zvmAdmin, () => Promise.all(Array.from({ length: n }, (_, i) =>
      handler.check({}, vpgArgs(`preview-${i}`, [zvmVmId(i)]) as unknown as VpgInputs))));
    const [few, many] = [await preview(5), await preview(40)];
    assert.deepEqual(many, few);
    assert.deepEqual(many, [...new Set(many)], "no look-up made twice");
    assert.ok(many.length <= 20, many.join(", "));
  });

  it("checks new VM replications from one site to one vDC at the same cost for 5 as for 40", async () => {
    const tenant = { url: sims.vcda.url, authType: "vcdCredentials" as const, username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword, insecure: false };
    const handler = createVmReplicationHandler(() => createVcdaClient(tenant));
    const preview = (n: number) => requestsWhile(sims.vcdaAdmin, () => Promise.all(Array.from({ length: n }, (_, i) =>
      handler.check({}, replicationArgs(vcdaVmId(i)) as unknown as VmReplicationInputs))));
    const [few, many] = [await preview(5), await preview(40)];
    assert.deepEqual(many, few);
    assert.ok(many.length <= 20, many.join(", "));
  });

  it("answers a program's look-ups of 20 VMs at one site with one listing of its VMs", async () => {
    await sims.zvmAdmin.clearJournal();
    const client = withSharedListings(createZertoClient(zertoConnection(sims)), "request-cost", ZERTO_LOOKUP_CALLS);
    // the VMs the inventory adds to the bundled ones are named bulk-<index>
    const first: number = require("../../simulator/zvm/inventory.json").localSite.Vms.length;
    const indexes = Array.from({ length: 20 }, (_, i) => first + i);
    const found = await Promise.all(indexes.map((i) => findZertoVm(client, { name: `bulk-${i}` })));
    assert.deepEqual(found.map((vm) => vm.id), indexes.map(zvmVmId));
    const requests = (await sims.zvmAdmin.journal()).filter((e) => !/session/.test(e.path)).map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(requests, [...new Set(requests)], "no listing read twice");
  });
});
