import assert from "node:assert/strict";
import { driftReport, renderDriftMarkdown } from "../../cli/drift";
import type { Step } from "../../cli/changes";
import type { VappReplicationInputs, VmReplicationInputs } from "../../provider/inputs.generated";
import type { VcdaReplication, VcdaVappReplication } from "../../provider/vcda/models";
import { createVappReplicationHandler, vappReplicationState } from "../../provider/vcda/vappReplication";
import { createVmReplicationHandler, diffVmReplication, replicationState, replicationStateMismatch } from "../../provider/vcda/vmReplication";
import { withoutPreflight } from "../fixtures/preflight";

const noClient = () => assert.fail("check and diff must not reach VCDA");
const VDC = "637a3f27-b491-4bb9-8d88-06a0e0ae74fd";
const VM_PROGRAM = { source: { type: "vm", site: "cloud-east", vmId: "fb3b5c4c-a03c-4a4f-819e-93a54184b142" }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 30 };
const VAPP_PROGRAM = { source: { type: "vapp", site: "cloud-east", vappId: "50a8d806-8078-4ab6-a545-4ca2b2bf878e" }, destination: { type: "vcloud", site: "cloud-west", vdc: VDC }, rpo: 30 };

function vm(n: number, recoveryState: string, changes: Partial<VcdaReplication> = {}): VcdaReplication {
  return {
    id: `C4-0000000${n}-0000-4000-8000-000000000000`, owner: "root@System", vmId: VM_PROGRAM.source.vmId, vmName: `acme-web-0${n}`,
    source: { site: "cloud-east", org: "org-acme" }, destination: { site: "cloud-west", org: "org-acme", vdcId: VDC }, storageProfile: "*",
    settings: { description: "", rpo: 30, dataConnectionType: "ENCRYPTED_COMPRESSED", quiesced: true, retentionPolicy: { rules: [{ numberOfInstances: 1, distance: 30 }] }, initialSyncTime: 0, excludedDiskKeys: [] },
    destinationState: {
      recoveryInfo: { recoveryState, ...(recoveryState === "TEST" ? { vcdVmId: "9664de13-6150-4315-9f59-2d85eb4c302f" } : {}) },
      currentRpoViolation: -1, latestInstance: { key: `replica-${n}`, sequenceNumber: 1, timestamp: 1700000000000 },
    },
    dataConnectionState: "OK", overallHealth: "GREEN", isReversed: false, isMigration: false, slaProfile: null,
    ...changes,
  };
}

function vapp(recoveryState: string): VcdaVappReplication {
  return {
    id: "C4VAPP-2f0c3c9e-2f7c-4f25-9e53-0f7e0f0c1a01", owner: "root@System",
    source: { site: "cloud-east", org: "org-acme", vappId: VAPP_PROGRAM.source.vappId, vappName: "acme-web" },
    destination: { site: "cloud-west", org: "org-acme", vdcId: VDC }, storageProfile: "*", isMigration: false,
    vmReplications: [vm(1, recoveryState), vm(2, recoveryState)],
  };
}

describe("VCDA day-2 calm while a failover test runs", () => {
  withoutPreflight();
  let vmInputs: VmReplicationInputs;
  let vappInputs: VappReplicationInputs;
  before(async () => {
    vmInputs = (await createVmReplicationHandler(noClient).check({}, VM_PROGRAM as VmReplicationInputs)).inputs!;
    vappInputs = (await createVappReplicationHandler(noClient).check({}, VAPP_PROGRAM as VappReplicationInputs)).inputs!;
  });

  it("reads a VM replication under test exactly as before the test, so refresh and preview change nothing", () => {
    const before = replicationState(vm(1, "NOT_STARTED"), vmInputs);
    const during = replicationState(vm(1, "TEST"), vmInputs);
    assert.deepEqual(during, before);
    assert.equal(during.replicationState, "replicating");
    assert.equal(during.recoveryState, "NOT_STARTED");
    assert.deepEqual(diffVmReplication(during, vmInputs), { changes: false });
  });

  it("reads a vApp replication under test exactly as before the test", () => {
    assert.deepEqual(vappReplicationState(vapp("TEST"), vappInputs), vappReplicationState(vapp("NOT_STARTED"), vappInputs));
  });

  it("takes a declared testingFailover (written before tests were calm) as replicating", () => {
    const during = replicationState(vm(1, "TEST"), vmInputs);
    const declared: VmReplicationInputs = { ...vmInputs, replicationState: "testingFailover" };
    assert.deepEqual(diffVmReplication(during, declared), { changes: false });
    assert.equal(replicationStateMismatch(during, declared), undefined);
  });

  it("still reports a real failover as drift", () => {
    const failedOver = replicationState(vm(1, "COMPLETE"), vmInputs);
    assert.equal(failedOver.replicationState, "failedOver");
    assert.equal(failedOver.recoveryState, "COMPLETE");
    assert.deepEqual(diffVmReplication(failedOver, vmInputs), { changes: true });
    assert.match(replicationStateMismatch(failedOver, vmInputs)!, /as failedOver, the program expects replicating/);
  });
});

describe("drift report: a failover test is information, a failover drift", () => {
  const TYPE = "pulumi-nodejs:dynamic/vcda:VmReplication";
  const urn = `urn:pulumi:prod::dr::${TYPE}::web`;
  /** A refresh that read `after` where the state held `before` (outputs), as `pulumi preview --refresh --json` shows it. */
  const refreshed = (before: Record<string, unknown>, after: Record<string, unknown>): Step[] => {
    const outputs = (state: Record<string, unknown>) => ({ ...VM_PROGRAM, replicationId: "C4-1", vmName: "acme-web-01", ...state });
    return [
      { op: "refresh", urn, oldState: { type: TYPE, inputs: VM_PROGRAM, outputs: outputs(before) }, newState: { type: TYPE, inputs: VM_PROGRAM, outputs: outputs(before) } },
      { op: "update", urn, oldState: { type: TYPE, inputs: VM_PROGRAM, outputs: outputs(after) }, newState: { type: TYPE, inputs: VM_PROGRAM } },
    ];
  };

  it("lists a test recorded by an earlier version as information, not drift", () => {
    const report = driftReport({ steps: refreshed({ replicationState: "replicating", recoveryState: "NOT_STARTED" }, { replicationState: "testingFailover", recoveryState: "TEST" }) });
    assert.deepEqual(report.drifted, []);
    assert.deepEqual(report.tests, [{ name: "web", type: "vcda:VmReplication", applianceName: "acme-web-01", running: true }]);
    const markdown = renderDriftMarkdown(report);
    assert.match(markdown, /^### ✅ DR drift report: no drift found/);
    assert.match(markdown, /ℹ️ .*web.*: failover test in progress/);
  });

  it("reports a failover as a state change", () => {
    const report = driftReport({ steps: refreshed({ replicationState: "replicating", recoveryState: "NOT_STARTED" }, { replicationState: "failedOver", recoveryState: "COMPLETE" }) });
    assert.equal(report.drifted.length, 1);
    assert.deepEqual(report.drifted[0].stateChanges.map((c) => c.path).sort(), ["recoveryState", "replicationState"]);
    assert.deepEqual(report.tests, []);
  });
});
