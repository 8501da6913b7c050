import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configure, zertoConnection } from "../../provider/connection";
import type { VpgInputs } from "../../provider/inputs.generated";
import { createZertoClient } from "../../provider/zerto/client";
import { IntentStore } from "../../provider/zerto/intents";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { inputsOf } from "../../provider/zerto/vpgDefinition";
import { startZvmSimulator, ZvmSimulator } from "../../simulator/zvm";
import { withoutPreflight } from "../fixtures/preflight";
import { FAST_ZERTO } from "../fixtures/zertoClient";

const PROTECTED_VC = "5a7e2c91-3f4b-4e6d-8a1c-9b0d2e4f6a81";
const RECOVERY_VC = "9e4b1d7a-6c2f-4a8e-b5d3-0f1e2a3b4c5d";
const rid = (moref: string) => `${RECOVERY_VC}.${moref}`;
const ADDED_AFTER_7X = ["StatusDescription", "SubStatusDescription", "ProtectedSiteName", "RecoverySiteName", "VpgType"];

describe("an older (7.x) ZVM: the VPG cycle against the simulator answering in the 7.x shape (real HTTP)", function () {
  this.timeout(60_000);
  withoutPreflight();
  let sim: ZvmSimulator;
  const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
  const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST_ZERTO), intents);

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session", responseShape: "7.x", taskPolls: 1, listingLagMs: 0, initializingMs: 50 });
    configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password" })[key] });
  });
  after(async () => {
    configure({ get: () => undefined });
    await sim?.close();
    fs.rmSync(intents.dir, { recursive: true, force: true });
  });

  const definition = (overrides: Partial<VpgInputs> = {}): VpgInputs => ({
    name: "legacy",
    recoverySiteId: sim.peerSiteId,
    recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
    networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
    vms: [{ vmId: `${PROTECTED_VC}.vm-101` }],
    ...overrides,
  });

  it("answers GET /v1/vpgs without the fields 7.x lacks, with SourceSite and TargetSite", async () => {
    const client = createZertoClient({ url: sim.url, authMode: "session", username: "admin", password: "zerto-sim-password", insecure: false });
    const { id, outs } = await handler.create((await handler.check({}, definition({ name: "raw-shape" }))).inputs!);
    const raw = (await client.http.request<Record<string, unknown>>({ method: "GET", path: `/v1/vpgs/${id}` })).body;
    for (const field of ADDED_AFTER_7X) assert.ok(!(field in raw), `${field} is not in a 7.x answer`);
    assert.deepEqual([raw.SourceSite, raw.TargetSite], ["Site-A Prod", "Site-B DR"]);
    await handler.delete(id, outs);
  });

  it("creates, reads with no diff, updates and deletes a VPG, reporting its status and site names from the 7.x fields", async () => {
    const inputs = (await handler.check({}, definition())).inputs!;
    const { id, outs } = await handler.create(inputs);
    assert.deepEqual([outs.protectedSiteName, outs.recoverySiteName], ["Site-A Prod", "Site-B DR"]);
    assert.ok(outs.status, "the status is read from the Status number");
    assert.equal(outs.protectionState, "protected");
    assert.deepEqual(await handler.diff(id, outs, inputs), { changes: false });

    const read = await handler.read(id, outs);
    assert.equal(read.id, id);
    assert.deepEqual(inputsOf(read.props!), inputsOf(outs));
    assert.deepEqual(await handler.diff(id, read.props!, inputs), { changes: false });

    const slower = (await handler.check(inputs, definition({ rpoSeconds: 600 }))).inputs!;
    const updated = await handler.update(id, read.props!, slower);
    assert.equal(updated.outs.rpoSeconds, 600);
    assert.equal(updated.outs.recoverySiteName, "Site-B DR");

    await handler.delete(id, updated.outs);
    assert.deepEqual(await handler.read(id, updated.outs), {});
  });
});
