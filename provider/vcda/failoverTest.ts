import type { DrillTarget, FailoverTestDriver, Health, PointInTime, StartedTest, StopResult, TestVm } from "../failoverTest";
import { TaskError } from "../http";
import { VAPP_REPLICATION, VM_REPLICATION } from "../resources.generated";
import { VcdaClient, VcdaClientFor, vcdaClientFor } from "./client";
import type { FailoverTestSettings, ReplicationInstance, VcdaReplication } from "./models";
import { replicationSite, ReplicationEnds } from "./sites";

/*
 * Failover tests of VM and vApp replications (docs/api-notes/vcda.md#failover-tests): POST
 * …/failover-test to the chosen instance with the test VMs powered on, DELETE …/failover-test to clean
 * up. A test never fails over, migrates or reverses; VCDA keeps replicating while it runs. VCDA 4.1 has
 * no recovery report, so this driver has no recoveryReport.
 */

/** dataConnectionState values of a replication whose traffic is healthy (docs/api-notes/vcda.md#failover-tests: SYNCING, OK …). */
const REPLICATING = ["OK", "SYNCING"];
/** Destination types that are a cloud site, whose test body has type "vcloud" (the others "vcenter"). */
const CLOUD_DESTINATIONS = ["vcloud", "vm"];

interface Subject {
  target: DrillTarget;
  collection: "vm-replications" | "vapp-replications";
  id: string;
  site: string | undefined;
  testType: FailoverTestSettings["type"];
  label: string;
}

function subjectOf(target: DrillTarget): Subject {
  const collection = target.type === VM_REPLICATION.token ? "vm-replications" : target.type === VAPP_REPLICATION.token ? "vapp-replications" : undefined;
  if (!collection) throw new Error(`the VCDA failover-test driver cannot test ${target.name} (${target.type}): only ${VM_REPLICATION.token} and ${VAPP_REPLICATION.token}`);
  const ends = target.state as Partial<ReplicationEnds>;
  const destinationType = ends.destination?.type ?? "vcloud";
  return {
    target,
    collection,
    id: target.id,
    site: ends.destination?.site ? replicationSite(ends as ReplicationEnds) : undefined,
    testType: CLOUD_DESTINATIONS.includes(destinationType) ? "vcloud" : "vcenter",
    label: `${collection === "vm-replications" ? "replication" : "vApp replication"} ${target.id} (${target.name})`,
  };
}

/** Why a VM replication cannot be tested now, or undefined. */
export function notReadyReason(vm: VcdaReplication): string | undefined {
  const recovery = vm.destinationState?.recoveryInfo?.recoveryState;
  if (recovery === "TEST") return "a failover test is already running";
  if (recovery === "COMPLETE") return vm.isMigration ? "it was migrated" : "it was failed over";
  if (vm.isReversed) return "it was reversed";
  if (vm.isPaused) return "it is paused";
  if (!REPLICATING.includes(vm.dataConnectionState)) return `it is not replicating (dataConnectionState ${vm.dataConnectionState})`;
  if (vm.overallHealth === "RED") return "its overall health is RED";
  if (!vm.destinationState?.latestInstance) return "it has no instance to recover yet";
  return undefined;
}

function latest(instances: ReplicationInstance[]): ReplicationInstance | undefined {
  return instances.reduce<ReplicationInstance | undefined>((newest, i) => (!newest || i.timestamp > newest.timestamp ? i : newest), undefined);
}

function pointOf(instance: ReplicationInstance, name?: string): PointInTime {
  return { id: instance.key, time: new Date(instance.timestamp).toISOString(), ...(name ? { name } : {}) };
}

function isTesting(vm: VcdaReplication): boolean {
  return vm.destinationState?.recoveryInfo?.recoveryState === "TEST";
}

function testVmOf(vm: VcdaReplication): TestVm {
  const info = vm.destinationState.recoveryInfo;
  return {
    name: vm.vmName,
    ...(info.vcdVmId ? { vmId: info.vcdVmId } : {}),
    // VCDA 4.1 reports no address of a recovered VM (Cloud Director has it): empty unless the server adds testVm
    ips: info.testVm?.ipAddresses ?? [],
    // the test is started with powerOn: its task succeeds once the VM runs
    poweredOn: info.testVm?.powerState === undefined ? true : info.testVm.powerState === "POWERED_ON",
  };
}

/** The failover-test driver for `drprotect:vcda:VmReplication` and `drprotect:vcda:VappReplication` targets, all through `client`. */
export function createVcdaFailoverTestDriver(client: VcdaClient): FailoverTestDriver {
  return driverThrough(() => client);
}

/**
 * One driver for every VCDA target of a stack, each through the connection its state names
 * (`profile`, else the default one), resolved as the provider does: stack config set with
 * `configure` from provider/connection.ts, else the environment.
 */
export function vcdaFailoverTestDriver(clientFor: VcdaClientFor = vcdaClientFor): FailoverTestDriver {
  const clients = new Map<string, VcdaClient>();
  return driverThrough((target) => {
    const profile = typeof target.state.profile === "string" ? target.state.profile : undefined;
    const key = profile ?? "";
    if (!clients.has(key)) clients.set(key, clientFor(profile));
    return clients.get(key)!;
  });
}

function driverThrough(clientOf: (target: DrillTarget) => VcdaClient): FailoverTestDriver {
  /** The VM replications of the target as VCDA reports them now (none when it is gone). */
  const vmsOf = async (subject: Subject): Promise<VcdaReplication[]> => {
    const client = clientOf(subject.target);
    if (subject.collection === "vm-replications") {
      const vm = await client.getReplication(subject.id, subject.site);
      return vm ? [vm] : [];
    }
    return (await client.getVappReplication(subject.id, subject.site))?.vmReplications ?? [];
  };

  return {
    async health(target): Promise<Health> {
      const subject = subjectOf(target);
      const vms = await vmsOf(subject);
      if (vms.length === 0) return { ready: false, reason: `${subject.label} no longer exists in VCDA`, testRunning: false };
      const testRunning = vms.some(isTesting);
      for (const vm of vms) {
        const why = notReadyReason(vm);
        if (why) return { ready: false, reason: vms.length > 1 ? `VM ${vm.vmName}: ${why}` : why, testRunning };
      }
      return { ready: true, testRunning };
    },

    async pointInTime(target): Promise<PointInTime> {
      const subject = subjectOf(target);
      const vms = await vmsOf(subject);
      const newest = await Promise.all(vms.map(async (vm) => ({ vm, instance: latest(await clientOf(target).listInstances(vm.id, subject.site)) })));
      const missing = newest.find((n) => !n.instance);
      if (vms.length === 0 || missing) throw new Error(`${subject.label} has no instance to test from${missing && vms.length > 1 ? ` (VM ${missing.vm.vmName})` : ""}`);
      if (subject.collection === "vm-replications") return pointOf(newest[0].instance!);
      // a vApp test recovers each VM to its latest instance: the oldest of them is the vApp's point in time
      const oldest = newest.map((n) => n.instance!).reduce((a, b) => (b.timestamp < a.timestamp ? b : a));
      return pointOf(oldest, `latest instance of each of ${vms.length} VMs (the oldest)`);
    },

    async startTest(target, point): Promise<StartedTest> {
      const subject = subjectOf(target);
      const settings: FailoverTestSettings = {
        type: subject.testType,
        // a vApp test takes no single instance: each VM recovers to its latest
        ...(subject.collection === "vm-replications" ? { instanceId: point.id } : {}),
        sync: false,
        powerOn: true,
      };
      const task = await clientOf(target).failoverTestTask(subject.collection, subject.id, subject.site, settings);
      return { taskId: task.id, point };
    },

    async testVms(target): Promise<TestVm[]> {
      return (await vmsOf(subjectOf(target))).filter(isTesting).map(testVmOf);
    },

    async testRunning(target): Promise<boolean> {
      return (await vmsOf(subjectOf(target))).some(isTesting);
    },

    async stopTest(target): Promise<StopResult> {
      const subject = subjectOf(target);
      try {
        const task = await clientOf(target).failoverTestTask(subject.collection, subject.id, subject.site);
        return { taskId: task.id, succeeded: true };
      } catch (err) {
        // a cleanup task that ended FAILED is a result to report; a timeout or a refused request is not
        if (err instanceof TaskError && err.kind === "failed") return { taskId: err.taskId, succeeded: false };
        throw err;
      }
    },
  };
}
