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

describe("a VPG edited in the ZVM UI with values no document lists can be declared back (real HTTP)", function () {
  this.timeout(30_000);
  withoutPreflight();
  let sim: ZvmSimulator;
  const intents = new IntentStore(fs.mkdtempSync(path.join(os.tmpdir(), "drprotect-intents-")));
  const handler = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), FAST_ZERTO), intents);

  before(async () => {
    sim = await startZvmSimulator({ authMode: "session", taskPolls: 1, listingLagMs: 0, initializingMs: 50 });
    // a full read, as `generate` and `refresh` with zerto:refreshMode full see every setting
    configure({ get: (key) => ({ "zerto:url": sim.url, "zerto:username": "admin", "zerto:password": "zerto-sim-password", "zerto:refreshMode": "full" })[key] });
  });
  after(async () => {
    configure({ get: () => undefined });
    await sim?.close();
    fs.rmSync(intents.dir, { recursive: true, force: true });
  });

  for (const minutes of [393120, 525600, 294560, 10080]) {
    it(`reads a test interval of ${minutes} minutes, passes check with it and shows no change`, async () => {
      const program: VpgInputs = {
        name: `ui-${minutes}`,
        recoverySiteId: sim.peerSiteId,
        recovery: { hostClusterId: rid("domain-c1001"), datastoreId: rid("datastore-1031"), folderId: rid("group-v1003") },
        networks: { failoverNetworkId: rid("network-1021"), failoverTestNetworkId: rid("network-1022") },
        vms: [{ vmId: `${PROTECTED_VC}.vm-101` }],
      };
      const { id, outs } = await handler.create((await handler.check({}, program)).inputs!);
      const edited = await fetch(`${sim.url}/_admin/zvm/vpgs/${id}`, { method: "PATCH", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ TestIntervalInMinutes: minutes }) });
      assert.equal(edited.status, 200);

      const read = await handler.read(id, outs);
      assert.equal(read.props!.testIntervalMinutes, minutes);
      // what `generate` writes is what read reports as inputs: it must pass check and preview with no change
      const declared = inputsOf(read.props!);
      const checked = await handler.check({}, declared);
      assert.deepEqual(checked.failures, []);
      assert.deepEqual(await handler.diff(id, read.props!, checked.inputs!), { changes: false });
      await handler.delete(id, read.props!);
    });
  }
});
