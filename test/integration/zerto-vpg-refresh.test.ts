import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configure, zertoConnection } from "../../provider/connection";
import type { VpgInputs, VpgOutputs } from "../../provider/inputs.generated";
import { PartialCreateError, ResourceHandler } from "../../provider/types";
import { createZertoClient, ZertoClientOptions } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { changedKeys, inputsOf } from "../../provider/zerto/vpgDefinition";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { FAST_ZERTO as FAST } from "../fixtures/zertoClient";

/** The refresh of a VPG (read) in its two depths, the Protected VMs outputs, and waitForSla, against the ZVM simulator. */

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const inRecoveryVc = (moref: string) => `${RECOVERY_VC}.${moref}`;
const protectedVm = (n: number) => `${PROTECTED_VC}.vm-${n}`;

type Vpg = ResourceHandler<VpgInputs, VpgOutputs>;

const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-refresh-intents-")));
after(() => fs.rmSync(intents.dir, { recursive: true, force: true }));

function vpgNamed(sim: ZvmSimulator, name: string, extra: Partial<VpgInputs> = {}): VpgInputs {
  return {
    name,
    recoverySiteId: sim.peerSiteId,
    recovery: { hostClusterId: inRecoveryVc("domain-c1001"), datastoreId: inRecoveryVc("datastore-1031"), folderId: inRecoveryVc("group-v1003") },
    networks: { failoverNetworkId: inRecoveryVc("network-1021"), failoverTestNetworkId: inRecoveryVc("network-1022") },
    vms: [{ vmId: protectedVm(101) }, { vmId: protectedVm(102), recovery: { folderId: inRecoveryVc("group-v1070") } }],
    ...extra,
  };
}

async function simAdmin(sim: ZvmSimulator, method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}/_admin/zvm${route}`, {
    method, headers: body === undefined ? {} : { "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${route}: ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

/** Requests since `seq`, counted by method (logins apart: they change no managed object). */
function methodsSince(sim: ZvmSimulator, seq: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of sim.journal.list(seq)) if (!/session\/add|openid-connect/i.test(e.path)) counts[e.method] = (counts[e.method] ?? 0) + 1;
  return counts;
}

function handlerFor(sim: ZvmSimulator, options: ZertoClientOptions, settings: Record<string, string> = {}): Vpg {
  configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password", ...settings })[key] });
  return createVpgHandler((profile) => createZertoClient(zertoConnection(profile), options), intents);
}


describe("zerto VPG refresh: read-only summary by default, the full draft read behind zerto:refreshMode", function () {
  this.timeout(60_000);
  let sim: ZvmSimulator;

  before(async () => {
    sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 200, taskCompleteMs: 1000 });
  });
  afterEach(async () => {
    assert.equal(sim.liveDrafts(), 0, "no draft outlives a read");
    for (const vpg of await simAdmin(sim, "GET", "/vpgs")) await simAdmin(sim, "DELETE", `/vpgs/${vpg.VpgIdentifier}`);
  });
  after(async () => {
    configure({ get: () => undefined });
    await sim.close();
  });

  it("makes only GET requests on a default refresh (VPG summary and its protected VMs), and fills per-VM status", async () => {
    const handler = handlerFor(sim, FAST);
    const inputs = vpgNamed(sim, "summary-read");
    const { id, outs } = await handler.create((await handler.check({}, inputs)).inputs!);
    assert.equal(outs.protectedVms, null, "a create leaves per-VM status to the first refresh");
    sim.clock.advance(60_000);

    const seq = sim.journal.lastSeq();
    const read = await handler.read(id, outs);
    assert.deepEqual(methodsSince(sim, seq), { GET: 2 });
    assert.deepEqual(sim.journal.list(seq).filter((e) => e.mutating), []);
    assert.deepEqual(sim.journal.list(seq).map((e) => e.path), [`/v1/vpgs/${id}`, "/v1/vms"]);
    assert.deepEqual(read.props!.protectedVms, [
      { vmId: protectedVm(101), name: "web-01", status: "MeetingSLA", subStatus: "None", actualRpoSeconds: 7, journalUsedMb: read.props!.protectedVms![0].journalUsedMb, lastTest: null },
      { vmId: protectedVm(102), name: "web-02", status: "MeetingSLA", subStatus: "None", actualRpoSeconds: 7, journalUsedMb: read.props!.protectedVms![1].journalUsedMb, lastTest: null },
    ]);
    assert.ok(read.props!.protectedVms!.every((vm) => vm.journalUsedMb! > 0), "a synced VM uses journal");
    assert.equal(read.props!.actualRpoSeconds, 7);
    assert.equal(read.props!.lastTest, null);
    assert.deepEqual(read.inputs, inputsOf(outs), "with no out-of-band change the definition reads back as recorded");
    assert.deepEqual(await handler.diff(id, read.props!, (await handler.check({}, inputs)).inputs!), { changes: false });
  });

  it("sees out-of-band changes of what the summary shows (RPO, priority, journal history, VM membership) and keeps the rest as recorded", async () => {
    const handler = handlerFor(sim, FAST);
    const inputs = (await handler.check({}, vpgNamed(sim, "summary-drift"))).inputs!;
    const { id, outs } = await handler.create(inputs);
    await simAdmin(sim, "PATCH", `/vpgs/${id}`, { RpoInSeconds: 900, Priority: "High", JournalHistoryInHours: 48, UseWanCompression: false });
    await simAdmin(sim, "DELETE", `/vpgs/${id}/vms/${protectedVm(102)}`);

    const seq = sim.journal.lastSeq();
    const read = await handler.read(id, outs);
    assert.deepEqual(methodsSince(sim, seq), { GET: 2 });
    assert.equal(read.props!.rpoSeconds, 900);
    assert.equal(read.props!.priority, "High");
    assert.equal(read.props!.journalHistoryHours, 48);
    assert.deepEqual(read.props!.vms, [{ vmId: protectedVm(101) }]);
    assert.equal(read.props!.useWanCompression, true, "the summary cannot show WAN compression: it keeps its recorded value");
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });
    assert.deepEqual(changedKeys(read.props!, inputs).sort(), ["journalHistoryHours", "priority", "rpoSeconds", "vms"]);
  });

  it("with zerto:refreshMode full opens and discards one edit draft and sees every setting", async () => {
    const handler = handlerFor(sim, FAST, { "zerto:refreshMode": "full" });
    const inputs = (await handler.check({}, vpgNamed(sim, "full-read"))).inputs!;
    const { id, outs } = await handler.create(inputs);
    await simAdmin(sim, "PATCH", `/vpgs/${id}`, { UseWanCompression: false });

    const seq = sim.journal.lastSeq();
    const read = await handler.read(id, outs);
    assert.deepEqual(methodsSince(sim, seq), { GET: 4, POST: 1, DELETE: 1 });
    assert.equal(read.props!.useWanCompression, false);
    assert.equal(read.props!.protectedVms!.length, 2);
    assert.deepEqual(changedKeys(read.props!, inputs), ["useWanCompression"]);
  });

  it("reads an imported VPG (nothing recorded) in full whatever the mode: the summary has nothing to keep", async () => {
    const handler = handlerFor(sim, FAST);
    const inputs = (await handler.check({}, vpgNamed(sim, "imported"))).inputs!;
    const { id } = await handler.create(inputs);
    const seq = sim.journal.lastSeq();
    const read = await handler.read(id, {} as VpgOutputs);
    assert.ok(sim.journal.list(seq).some((e) => e.method === "POST" && e.path === "/v1/vpgSettings"));
    assert.equal(read.props!.name, "imported");
    assert.equal(read.props!.recovery.datastoreId, inRecoveryVc("datastore-1031"));
  });

  it("reports a running failover test as no change of state, and the VPG's and each VM's last test once it ended", async () => {
    const handler = handlerFor(sim, FAST);
    const { id, outs } = await handler.create((await handler.check({}, vpgNamed(sim, "tested"))).inputs!);
    await simAdmin(sim, "PUT", `/vpgs/${id}/operation`, { operation: "failoverTest" });
    const testing = await handler.read(id, outs);
    assert.equal(testing.props!.protectionState, "protected");
    assert.equal(testing.props!.lastTest, null);
    await simAdmin(sim, "PUT", `/vpgs/${id}/operation`, { operation: null });
    const read = await handler.read(id, testing.props!);
    assert.equal(read.props!.protectionState, "protected");
    assert.match(String(read.props!.lastTest), /^\d{4}-\d\d-\d\dT/);
    assert.ok(read.props!.protectedVms!.every((vm) => vm.lastTest === read.props!.lastTest));
  });
});

describe("zerto VPG waitForSla on create", function () {
  this.timeout(60_000);

  it("returns once the VPG meets its SLA, with per-VM status filled", async () => {
    const sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 800, taskCompleteMs: 1000 });
    try {
      const handler = handlerFor(sim, FAST);
      const { outs } = await handler.create((await handler.check({}, vpgNamed(sim, "sla", { waitForSla: true }))).inputs!);
      assert.equal(outs.status, "MeetingSLA");
      assert.equal(outs.waitForSla, true);
      assert.deepEqual(outs.protectedVms!.map((vm) => vm.status), ["MeetingSLA", "MeetingSLA"]);
    } finally {
      await sim.close();
    }
  });

  it("fails clearly when the SLA is not met within the task timeout, still recording the VPG", async () => {
    const sim = await startZvmSimulator({ taskPolls: 1, listingLagMs: 0, initializingMs: 600_000, taskCompleteMs: 1000 });
    try {
      const handler = handlerFor(sim, { ...FAST, taskTimeoutMs: 1500 });
      const inputs = (await handler.check({}, vpgNamed(sim, "slow-sync", { waitForSla: true }))).inputs!;
      const [vpg] = await handler.create(inputs).then(() => assert.fail("create must fail"), async (err) => {
        assert.ok(err instanceof PartialCreateError, String(err));
        assert.match(err.message, /created VPG 'slow-sync' \(.+\) but VPG 'slow-sync' .* did not meet its SLA within 1\.5 s \(set by ZERTO_TASK_TIMEOUT_SECONDS or zerto:taskTimeoutSeconds\): the ZVM reports Initializing \/ Creating/);
        assert.match(err.message, /recorded in the stack/);
        const stored = await simAdmin(sim, "GET", "/vpgs");
        assert.equal(err.id, stored[0].VpgIdentifier);
        assert.equal(err.properties.vpgId, err.id);
        return stored;
      });
      assert.equal(vpg.VpgName, "slow-sync");
    } finally {
      await sim.close();
    }
  });
});
