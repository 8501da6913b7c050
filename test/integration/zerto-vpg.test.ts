import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configure, zertoConnection } from "../../provider/connection";
import type { VpgInputs, VpgOutputs } from "../../provider/inputs.generated";
import type { ResourceHandler } from "../../provider/types";
import { createZertoClient } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { pendingTaskOf } from "../../provider/pendingId";
import { clearPreflightCache } from "../../provider/preflight";
import { toSettings } from "../../provider/zerto/vpgSettings";
import { inputsOf } from "../../provider/zerto/vpgDefinition";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { FAST_ZERTO as FAST } from "../fixtures/zertoClient";
import { withPreflightOff } from "../fixtures/preflight";

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
const vmId = (n: number) => `${PROTECTED_VC}.vm-${n}`;

/** Short polls and timeouts: the simulator answers in milliseconds. */

type Vpg = ResourceHandler<VpgInputs, VpgOutputs>;

/** Records of interrupted creates go to a scratch directory, not the developer's ~/.pulumi. */
const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
after(() => fs.rmSync(intents.dir, { recursive: true, force: true }));

function definition(sim: ZvmSimulator, overrides: Partial<VpgInputs> = {}): VpgInputs {
  return {
    name: "web",
    recoverySiteId: sim.peerSiteId,
    recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
    networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
    vms: [{ vmId: vmId(101) }, { vmId: vmId(102), bootGroup: "db", recovery: { folderId: rid("group-v1070") } }],
    bootGroups: [{ name: "db", bootDelaySeconds: 30 }],
    ...overrides,
  };
}

/** What the engine does: check first, then hand the checked inputs on. */
async function checked(handler: Vpg, news: VpgInputs): Promise<VpgInputs> {
  const { inputs, failures } = await handler.check({}, news);
  assert.deepEqual(failures, []);
  return inputs!;
}

async function admin(sim: ZvmSimulator, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path} answered ${response.status}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function vpgsNamed(sim: ZvmSimulator, name: string): Promise<any[]> {
  return (await admin(sim, "GET", "/_admin/zvm/vpgs")).filter((v: any) => v.VpgName === name);
}

function loginsSince(sim: ZvmSimulator, seq: number): number {
  return sim.journal.list(seq).filter((e) => /\/v1\/session\/add$|\/openid-connect\/token$/i.test(e.path) && e.status === 200).length;
}

function useConnection(settings: Record<string, string>): void {
  configure({ get: (key) => settings[key] });
}

function sessionConfig(sim: ZvmSimulator): Record<string, string> {
  return { "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password" };
}

/** A read as `pulumi refresh` makes it with zerto:refreshMode full: the whole definition, through an edit draft. */
async function fullRead(sim: ZvmSimulator, read: () => Promise<any>): Promise<any> {
  useConnection({ ...sessionConfig(sim), "zerto:refreshMode": "full" });
  try {
    return await read();
  } finally {
    useConnection(sessionConfig(sim));
  }
}

describe("zerto VPG through the ZVM simulator (session auth)", function () {
  this.timeout(60_000);
  let sim: ZvmSimulator;
  let handler: Vpg;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session", taskPolls: 2, listingLagMs: 100, initializingMs: 200, taskCompleteMs: 1000 });
    useConnection(sessionConfig(sim));
    handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST), intents);
  });

  afterEach(async () => {
    assert.equal(sim.liveDrafts(), 0, "no vpgSettings draft may outlive an operation");
    await admin(sim, "DELETE", "/_admin/faults");
    await admin(sim, "DELETE", "/_admin/zvm/task-faults");
    for (const vpg of await admin(sim, "GET", "/_admin/zvm/vpgs")) await admin(sim, "DELETE", `/_admin/zvm/vpgs/${vpg.VpgIdentifier}`);
  });

  after(async () => {
    useConnection({});
    await sim.close();
  });

  it("creates a VPG whose read-back equals what create returned, with no diff", async () => {
    const inputs = await checked(handler, definition(sim));
    const { id, outs } = await handler.create(inputs);
    assert.equal(outs.vpgId, id);
    assert.equal(outs.resolvedProtectedSiteId, sim.localSiteId);
    assert.equal(outs.protectedSiteId, undefined, "not set by the program, so not reported as an input");
    assert.deepEqual([outs.protectedSiteName, outs.recoverySiteName], ["Site-A Prod", "Site-B DR"], "site names beside the ids");
    assert.ok(outs.status, "status is reported");
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });

    const read = await handler.read(id, outs);
    assert.equal(read.id, id);
    assert.deepEqual(inputsOf(read.props!), inputsOf(outs));
    assert.deepEqual(read.inputs, inputsOf(read.props!));
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: false });

    const [stored] = await vpgsNamed(sim, "web");
    assert.equal(stored.VpgIdentifier, id);
    assert.equal(stored.Definition.Vms.length, 2);
  });

  it("creates a VPG in 5 requests plus task polls: the name checked by preflight alone, one draft, the VPG read once, no edit draft to read it back", async () => {
    await admin(sim, "POST", "/_admin/zvm/listing-lag", { ms: 0 });
    clearPreflightCache(); // a run of its own: its preflight reads the VPG listing
    try {
      const inputs = await checked(handler, definition(sim));
      const seq = sim.journal.lastSeq();
      const { id, outs } = await handler.create(inputs);
      const byKind: Record<string, number> = {};
      for (const e of sim.journal.list(seq)) {
        const kind = `${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}(\.[0-9a-f-]{36})?/g, "{id}")}${e.query ? `?${[...new URLSearchParams(e.query).keys()]}` : ""}`;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      const { "GET /v1/tasks/{id}": polls, ...requests } = byKind;
      assert.deepEqual(requests, {
        "POST /v1/vpgSettings": 1, // under a name of its own, so a lost answer needs no listing before

        "GET /v1/vpgSettings/{id}": 1,
        "PUT /v1/vpgSettings/{id}": 1,
        "POST /v1/vpgSettings/{id}/commit": 1,
        "GET /v1/vpgs/{id}": 1, // listed, and its status
      });
      assert.ok(polls >= 1 && polls <= 3, `task polls: ${polls}`);
      const read = await fullRead(sim, () => handler.read(id, outs));
      // per-VM status is not read by a create (every VM is in its initial sync): the first refresh fills it
      assert.deepEqual({ ...read.props, protectedVms: null }, outs, "what create reports is what the ZVM holds");
    } finally {
      await admin(sim, "POST", "/_admin/zvm/listing-lag", { ms: 100 });
    }
  });

  it("reads a VPG being moved outside Pulumi as protectionState moving, keeping the recorded definition and opening no draft", async () => {
    const inputs = await checked(handler, definition(sim));
    const { id, outs } = await handler.create(inputs);
    await admin(sim, "PUT", `/_admin/zvm/vpgs/${id}/operation`, { operation: "move" });
    const seq = sim.journal.lastSeq();
    const read = await handler.read(id, outs);
    assert.equal(read.props!.protectionState, "moving");
    assert.equal(read.props!.status, "Moving");
    assert.deepEqual({ ...read.inputs, protectionState: "protected" }, inputsOf(outs));
    assert.deepEqual(sim.journal.list(seq).filter((e) => /vpgSettings/i.test(e.path)), []);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });
    await assert.rejects(handler.update(id, read.props!, inputs), /as moving .*does not delete or re-create/);
    await admin(sim, "PUT", `/_admin/zvm/vpgs/${id}/operation`, { operation: null });
  });

  it("shows an out-of-band RPO change on read, reports it in the diff, and converges it on update", async () => {
    const inputs = await checked(handler, definition(sim));
    const { id, outs } = await handler.create(inputs);
    await admin(sim, "PATCH", `/_admin/zvm/vpgs/${id}`, { RpoInSeconds: 900 });

    const read = await handler.read(id, outs);
    assert.equal(read.props!.rpoSeconds, 900);
    assert.equal(read.inputs!.rpoSeconds, 900);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: true });

    const { outs: converged } = await handler.update(id, read.props!, inputs);
    assert.equal(converged.rpoSeconds, 300);
    const again = await handler.read(id, converged);
    assert.deepEqual(await handler.diff(id, again.props!, inputs), { changes: false });
  });

  it("updates the RPO and adds and removes VMs in one edit draft with explicit VM calls", async () => {
    const { id, outs } = await handler.create(await checked(handler, definition(sim)));
    const seq = sim.journal.lastSeq();
    const desired = await checked(handler, definition(sim, { rpoSeconds: 600, vms: [{ vmId: vmId(101) }, { vmId: vmId(103), bootGroup: "db" }] }));
    const { outs: updated } = await handler.update(id, outs, desired);

    assert.equal(updated.rpoSeconds, 600);
    assert.deepEqual(updated.vms, [{ vmId: vmId(101) }, { vmId: vmId(103), bootGroup: "db" }]);
    const calls = sim.journal.list(seq).filter((e) => e.mutating).map((e) => `${e.method} ${e.path.replace(/^\/v1\/vpgSettings\/[0-9a-f-]{36}/, "/v1/vpgSettings/{id}")}`);
    assert.ok(calls.includes(`DELETE /v1/vpgSettings/{id}/vms/${vmId(102)}`), calls.join("\n"));
    assert.ok(calls.includes("POST /v1/vpgSettings/{id}/vms"), calls.join("\n"));
    assert.equal(calls.filter((c) => c.endsWith("/commit")).length, 1);
    const read = await handler.read(id, updated);
    assert.deepEqual(await handler.diff(id, read.props!, desired), { changes: false });
  });

  it("deletes the VPG, after which read reports it gone and a second delete is a no-op", async () => {
    const { id, outs } = await handler.create(await checked(handler, definition(sim)));
    await handler.delete(id, outs);
    assert.deepEqual(await vpgsNamed(sim, "web"), []);
    assert.deepEqual(await handler.read(id, outs), {});
    await handler.delete(id, outs);
    const deletes = sim.journal.list(0).filter((e) => e.method === "DELETE" && e.path === `/v1/vpgs/${id}`);
    assert.deepEqual(deletes.map((e) => e.body), [{ Force: false, KeepRecoveryVolumes: false }, { Force: false, KeepRecoveryVolumes: false }]);
  });

  it("adopts an existing VPG that matches the declaration with adoptExisting: true, changing nothing", async () => {
    const first = await handler.create(await checked(handler, definition(sim)));
    const seq = sim.journal.lastSeq();
    const adopted = await handler.create(await checked(handler, definition(sim, { adoptExisting: true })));
    assert.equal(adopted.id, first.id);
    assert.equal(sim.journal.list(seq).filter((e) => e.path.endsWith("/commit")).length, 0);
  });

  it("refuses to adopt a differing VPG, listing each difference, and overwrites it only with adoptExisting: \"overwrite\"", async () => {
    const first = await handler.create(await checked(handler, definition(sim)));
    const seq = sim.journal.lastSeq();
    const differing = definition(sim, { rpoSeconds: 1200, vms: [{ vmId: vmId(101) }, { vmId: vmId(109) }], adoptExisting: true });
    await assert.rejects(handler.create(await checked(handler, differing)), (err: Error) => {
      assert.match(err.message, /exists \(.*\) and differs from this declaration: /);
      assert.match(err.message, /vms −\S*vm-102 \+\S*vm-109/);
      assert.match(err.message, /rpoSeconds 300 → 1200/);
      return true;
    });
    assert.equal(sim.journal.list(seq).filter((e) => e.path.endsWith("/commit")).length, 0, "nothing was changed");
    const adopted = await handler.create(await checked(handler, { ...differing, adoptExisting: "overwrite" }));
    assert.equal(adopted.id, first.id);
    assert.equal(adopted.outs.rpoSeconds, 1200);
    assert.equal((await vpgsNamed(sim, "web")).length, 1);
  });

  it("refuses a duplicate name without adoptExisting before any mutating request", async () => {
    await handler.create(await checked(handler, definition(sim)));
    const seq = sim.journal.lastSeq();
    await assert.rejects(handler.create(await checked(handler, definition(sim))), /a VPG named 'web' already exists .*adoptExisting: true/);
    assert.deepEqual(sim.journal.list(seq).filter((e) => e.mutating), []);
  });

  it("reports a commit the ZVM rejects as a failed task with its reason, leaving no draft and no VPG", async () => {
    const bad = definition(sim, { name: "bad", recovery: { hostId: rid("host-9999"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") } });
    await assert.rejects(handler.create(await withPreflightOff(() => checked(handler, bad))), (err: Error) => {
      assert.match(err.message, /^Zerto rejected VPG 'bad': .*host-9999 was not found/);
      return true;
    });
    assert.deepEqual(await vpgsNamed(sim, "bad"), []);
    assert.equal(sim.liveDrafts(), 0);
  });

  it("logs in exactly once more when the session expires between calls", async () => {
    const { id, outs } = await handler.create(await checked(handler, definition(sim)));
    const seq = sim.journal.lastSeq();
    await admin(sim, "POST", "/_admin/zvm/expire-sessions");
    const read = await handler.read(id, outs);
    assert.equal(read.id, id);
    assert.equal(loginsSince(sim, seq), 1);
    assert.equal(sim.journal.list(seq).filter((e) => e.status === 401).length, 1);
  });

  it("waits out a listing lag longer than the task takes", async () => {
    await admin(sim, "POST", "/_admin/zvm/listing-lag", { ms: 1500 });
    try {
      const seq = sim.journal.lastSeq();
      const { id, outs } = await handler.create(await checked(handler, definition(sim)));
      assert.equal(outs.vpgId, id);
      const notYetListed = sim.journal.list(seq).filter((e) => e.method === "GET" && e.path === `/v1/vpgs/${id}` && e.status === 404);
      assert.ok(notYetListed.length > 0, "the VPG was not listed at first");
    } finally {
      await admin(sim, "POST", "/_admin/zvm/listing-lag", { ms: 100 });
    }
  });

  it("survives a burst of 503s with Retry-After", async () => {
    await admin(sim, "POST", "/_admin/faults", { kind: "status", status: 503, retryAfterSeconds: 0, path: "/v1/vpgs", times: 3 });
    const { id } = await handler.create(await checked(handler, definition(sim)));
    const { fired } = await admin(sim, "GET", "/_admin/faults");
    assert.equal(fired.length, 3);
    assert.equal((await vpgsNamed(sim, "web"))[0].VpgIdentifier, id);
  });

  it("reconciles a commit whose answer was lost by finding its task, never committing twice", async () => {
    await admin(sim, "POST", "/_admin/faults", { kind: "drop", method: "POST", path: "/commit$", times: 1 });
    const seq = sim.journal.lastSeq();
    const { id } = await handler.create(await checked(handler, definition(sim)));
    assert.equal((await vpgsNamed(sim, "web"))[0].VpgIdentifier, id);
    assert.equal(sim.journal.list(seq).filter((e) => e.path.endsWith("/commit")).length, 1);
  });

  it("finds the new draft a POST made without answering by the name it alone holds, leaving another client's draft of the same VPG name alone", async () => {
    const other = createZertoClient(zertoConnection(), FAST);
    const theirs = (await other.http.request<string>({ method: "POST", path: "/v1/vpgSettings", json: { Basic: { Name: "web" } } })).body;
    try {
      await admin(sim, "POST", "/_admin/faults", { kind: "drop", method: "POST", path: "^/v1/vpgSettings$", times: 1 });
      const inputs = await checked(handler, definition(sim));
      const seq = sim.journal.lastSeq();
      const { id } = await handler.create(inputs);
      assert.equal((await vpgsNamed(sim, "web"))[0].VpgIdentifier, id);
      const posts = sim.journal.list(seq).filter((e) => e.method === "POST" && /^\/v1\/vpgSettings$/.test(e.path));
      assert.equal(posts.length, 1, "the POST is never sent twice");
      assert.match((posts[0].body as any).Basic.Name, /^web ~[0-9a-f]{12}$/);
      assert.equal((await other.getVpgSettings(theirs)).Basic?.Name, "web", "the other client's draft is untouched");
    } finally {
      await other.deleteVpgSettings(theirs);
    }
  });

  it("creates without asking the name again when this run's preflight saw it free, and a VPG of that name made since fails the task without being taken", async () => {
    clearPreflightCache();
    const inputs = await checked(handler, definition(sim));
    // someone else makes a VPG of the same name between this run's preflight and its create
    const other = createZertoClient(zertoConnection(), FAST);
    const draft = await other.createVpgSettings({ name: "web" });
    await other.putVpgSettings(draft, toSettings(definition(sim, { vms: [{ vmId: vmId(103) }], bootGroups: [] }), await other.getVpgSettings(draft)));
    await other.waitForTask(await other.commitVpgSettings(draft, { kind: "create", name: "web", identity: { name: "web", vms: [vmId(103)], recoverySiteId: sim.peerSiteId } }), "out of band");
    const theirs = await other.waitForVpgListed({ name: "web" });
    const seq = sim.journal.lastSeq();
    await assert.rejects(handler.create(inputs), new RegExp(`Zerto rejected VPG 'web': A VPG named 'web' already exists.*\\(${theirs.VpgIdentifier}\\).*made by someone else`));
    assert.equal(sim.journal.list(seq).filter((e) => e.method === "GET" && e.path === "/v1/vpgs" && /name=/.test(e.query ?? "")).length, 1, "asked by name once: to name the VPG that is not ours");
    const left = await vpgsNamed(sim, "web");
    assert.deepEqual(left.map((v) => v.VpgIdentifier), [theirs.VpgIdentifier]);
    assert.equal(left[0].Definition.Vms.length, 1, "their VPG is untouched");
  });

  it("treats a commit answered 504 as not applied when its draft is still there, discarding the draft", async () => {
    await admin(sim, "POST", "/_admin/faults", { kind: "status", status: 504, method: "POST", path: "/commit$", times: 1 });
    const seq = sim.journal.lastSeq();
    await assert.rejects(handler.create(await checked(handler, definition(sim, { name: "gateway" }))),
      /HTTP 504.*the draft is still there, so the ZVM did not apply the change to VPG 'gateway'/);
    assert.equal(sim.journal.list(seq).filter((e) => e.path.endsWith("/commit")).length, 1, "the commit is never re-sent blindly");
    assert.deepEqual(await vpgsNamed(sim, "gateway"), []);
  });

  it("records a create whose task outlives the timeout as pending, and resolves it to the VPG once the task ends", async () => {
    await admin(sim, "POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 1500 });
    const impatient = createVpgHandler(() => createZertoClient(zertoConnection(), { ...FAST, taskTimeoutMs: 300 }), intents);
    const seq = sim.journal.lastSeq();
    const inputs = await checked(impatient, definition(sim, { name: "slow" }));
    const pending = await impatient.create(inputs).then(() => assert.fail("the create cannot have finished"), (err) => err);
    assert.match(pending.message, /Zerto is still creating VPG 'slow' \(ZVM task .*\) after the task timeout/);
    assert.ok(pendingTaskOf(pending.id), `a pending id, not ${pending.id}`);
    const commit = sim.journal.list(seq).find((e) => e.path.endsWith("/commit"))!;
    const draftPath = commit.path.replace(/\/commit$/, "");
    assert.deepEqual(sim.journal.list(commit.seq).filter((e) => e.path === draftPath), [], "a committed draft is never used again");
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const read = await impatient.read(pending.id, pending.properties);
    const [vpg] = await vpgsNamed(sim, "slow");
    assert.equal(read.id, vpg.VpgIdentifier);
    await impatient.delete(read.id!, read.props!);
    assert.deepEqual(await vpgsNamed(sim, "slow"), []);
  });

  it("destroys a VPG recorded as pending whose create task finished after the timeout: the VPG goes, the delete succeeds", async () => {
    await admin(sim, "POST", "/_admin/zvm/task-faults", { mode: "slow", durationMs: 800 });
    const impatient = createVpgHandler(() => createZertoClient(zertoConnection(), { ...FAST, taskTimeoutMs: 300 }), intents);
    const pending = await impatient.create(await checked(impatient, definition(sim, { name: "late" }))).then(() => assert.fail("the create cannot have finished"), (err) => err);
    assert.ok(pendingTaskOf(pending.id), `a pending id, not ${pending.id}`);
    await new Promise((resolve) => setTimeout(resolve, 900));
    // destroy right away, without a refresh between: the pending id resolves to the VPG its task made
    await impatient.delete(pending.id, pending.properties);
    assert.deepEqual(await vpgsNamed(sim, "late"), []);
  });

  it("discards on the next run the draft of a create interrupted before its commit that could not discard it (the ZVM went away)", async () => {
    await admin(sim, "POST", "/_admin/faults", { kind: "status", status: 503, retryAfterSeconds: 0, method: "PUT", path: "^/v1/vpgSettings/", times: 50 });
    await admin(sim, "POST", "/_admin/faults", { kind: "status", status: 503, retryAfterSeconds: 0, method: "DELETE", path: "^/v1/vpgSettings/", times: 50 });
    const inputs = await checked(handler, definition(sim, { name: "interrupted" }));
    await assert.rejects(handler.create(inputs), /Zerto could not create VPG 'interrupted'/);
    assert.equal(sim.liveDrafts(), 1, "the draft this run could not discard");
    await admin(sim, "DELETE", "/_admin/faults");
    const { id, outs } = await handler.create(inputs);
    assert.equal(sim.liveDrafts(), 0, "the next run discarded the draft the interrupted create opened");
    await handler.delete(id, outs);
  });

  it("refuses wrong credentials with a message that names the user but never the password", async () => {
    // another identity: a login cached for admin is not reused
    const wrong = createVpgHandler(() => createZertoClient({ ...zertoConnection(), username: "operator", password: "not-the-password" }, FAST));
    await assert.rejects(wrong.create(await checked(wrong, definition(sim))), (err: Error) => {
      assert.match(err.message, /login to .* as user 'operator' with the vCenter login method .* was refused/);
      assert.ok(!err.message.includes("not-the-password"));
      return true;
    });
  });
});

describe("zerto VPG through the ZVM simulator (Keycloak auth)", function () {
  this.timeout(60_000);
  let sim: ZvmSimulator;

  before(async () => {
    sim = await startZvmSimulator({ authMode: "keycloak", taskPolls: 1, listingLagMs: 50, initializingMs: 100, taskCompleteMs: 1000 });
  });

  afterEach(() => {
    assert.equal(sim.liveDrafts(), 0, "no vpgSettings draft may outlive an operation");
  });

  after(async () => {
    useConnection({});
    await sim.close();
  });

  it("detects Keycloak (session/add is 404) and uses the password grant for create, read and delete", async () => {
    useConnection(sessionConfig(sim));
    const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST));
    const seq = sim.journal.lastSeq();
    const inputs = await checked(handler, definition(sim, { name: "kc-password" }));
    const { id, outs } = await handler.create(inputs);
    const read = await handler.read(id, outs);
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: false });
    await handler.delete(id, outs);

    const auth = sim.journal.list(seq).filter((e) => /session\/add|openid-connect/.test(e.path));
    assert.deepEqual(auth.map((e) => `${e.path} ${e.status}`), ["/v1/session/add 404", "/auth/realms/zerto/protocol/openid-connect/token 200"]);
  });

  it("uses client credentials when a client secret is set, and renews once after the token is revoked", async () => {
    useConnection({ "zerto:url": sim.url, "zerto:clientId": "drprotect", "zerto:clientSecret": "zerto-sim-client-secret", "zerto:authMode": "keycloak" });
    const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST));
    const { id, outs } = await handler.create(await checked(handler, definition(sim, { name: "kc-client" })));
    const seq = sim.journal.lastSeq();
    await admin(sim, "POST", "/_admin/zvm/expire-sessions");
    assert.equal((await handler.read(id, outs)).id, id);
    assert.equal(loginsSince(sim, seq), 1);
    await handler.delete(id, outs);
    assert.ok(!JSON.stringify(outs).includes("zerto-sim-client-secret"));
  });
});
