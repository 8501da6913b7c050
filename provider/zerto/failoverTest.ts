/**
 * Zerto failover tests for a drill (docs/api-notes/zerto.md#failover-tests-and-checkpoints): a tagged
 * checkpoint, FailoverTest, FailoverTestStop with the result, the recovery report. Never a failover,
 * move or commit.
 */
import type { DrillTarget, FailoverTestDriver, Health, PointInTime, RecoveryReport, TestVm } from "../failoverTest";
import { pollUntil } from "../http";
import type { VpgOutputs } from "../inputs.generated";
import type { ZertoClient } from "./client";
import { zvmDate } from "./dates";
import type { ZertoVpg } from "./models";
import { taskIdOf } from "./tasks";
import { statusName } from "./vpgStatus";

/** A checkpoint as the 10.0 U6 OpenAPI (camelCase) or the VPGs API document (CheckpointId, a WCF date) has it (docs/api-notes/zerto.md#failover-tests-and-checkpoints) */
interface CheckpointAnswer {
  checkpointIdentifier?: string;
  CheckpointIdentifier?: string;
  /** The VPGs API document's name (its example answer), which older ZVMs send. */
  CheckpointId?: string;
  timeStamp?: string;
  TimeStamp?: string;
  tag?: string | null;
  Tag?: string | null;
}

interface RecoveryReportAnswer {
  recoveryOperationIdentifier?: string;
  general?: { vpgIdentifier?: string; startTime?: string; rtoInSeconds?: string | number };
}

const CHECKPOINT_WINDOW_MS = 60 * 60 * 1000;

const vpgPath = (id: string) => `/v1/vpgs/${encodeURIComponent(id)}`;

/** Whether the ZVM lists a failover test among the VPG's active processes. */
const testRunningIn = (vpg: ZertoVpg) => Boolean(vpg.ActiveProcessesApi?.RunningFailOverTestApi);

/** The test network addresses the program declares: each NIC's static re-IP for failover tests. The ZVM reports none. */
function declaredTestIps(target: DrillTarget, vmId: string): string[] {
  const vms = (target.state as Partial<VpgOutputs>).vms ?? [];
  const vm = vms.find((v) => v.vmId === vmId);
  return (vm?.nics ?? []).map((n) => n.failoverTest?.ipConfig).filter((c) => c?.mode === "static" && c.ip).map((c) => c!.ip!);
}

export function createZertoFailoverTestDriver(client: ZertoClient): FailoverTestDriver {
  const vpgOf = async (target: DrillTarget): Promise<ZertoVpg> => {
    const vpg = await client.getVpg(target.id);
    if (!vpg) throw new Error(`VPG '${target.name}' (${target.id}) does not exist on the ZVM: run \`pulumi refresh\``);
    return vpg;
  };

  /** The checkpoints of the last hour: a ZVM writes one every few seconds, a whole journal's list would be long (the hour allows for clock skew). */
  const recentCheckpoints = async (target: DrillTarget): Promise<PointInTime[]> => {
    const response = await client.http.request<CheckpointAnswer[]>({
      method: "GET", path: `${vpgPath(target.id)}/checkpoints`, query: { startDate: new Date(Date.now() - CHECKPOINT_WINDOW_MS).toISOString() },
    });
    return (Array.isArray(response.body) ? response.body : []).map((c) => ({
      id: String(c.checkpointIdentifier ?? c.CheckpointIdentifier ?? c.CheckpointId ?? ""),
      time: zvmDate(c.timeStamp ?? c.TimeStamp)?.toISOString() ?? String(c.timeStamp ?? c.TimeStamp ?? ""),
      ...((c.tag ?? c.Tag) ? { name: String(c.tag ?? c.Tag) } : {}),
    }));
  };

  const testRunning = async (target: DrillTarget) => testRunningIn(await vpgOf(target));

  return {
    async health(target): Promise<Health> {
      const vpg = await vpgOf(target);
      const running = testRunningIn(vpg);
      const status = typeof vpg.StatusDescription === "string" && vpg.StatusDescription ? vpg.StatusDescription : statusName(vpg.Status);
      if (running) return { ready: false, testRunning: true, reason: "a failover test is already running" };
      if (status !== "MeetingSLA") return { ready: false, testRunning: false, reason: `the VPG is ${status ?? "in an unknown state"}, not MeetingSLA` };
      return { ready: true, testRunning: false };
    },

    /** Tags a checkpoint and finds it by its tag: the answer to the POST is typed only as a string. */
    async pointInTime(target, tag) {
      await client.http.request({ method: "POST", path: `${vpgPath(target.id)}/Checkpoints`, json: { checkpointName: tag } });
      return pollUntil(async () => (await recentCheckpoints(target)).find((c) => c.name === tag), {
        initialDelayMs: 250, maxDelayMs: 2000, factor: 1.5, timeoutMs: 60_000, what: `the checkpoint '${tag}' of VPG '${target.name}'`,
      });
    },

    async startTest(target, point) {
      // both names of the field: checkpointIdentifier (10.0 U6 OpenAPI), CheckpointId (the VPGs API document); a ZVM ignores the one it does not know (docs/api-notes/zerto.md#failover-tests-and-checkpoints)
      const response = await client.http.request({
        method: "POST", path: `${vpgPath(target.id)}/FailoverTest`, json: { checkpointIdentifier: point.id, CheckpointId: point.id },
      });
      const taskId = taskIdOf(response.body);
      await client.waitForTask(taskId, `failover test of VPG '${target.name}'`);
      return { taskId, point };
    },

    async testVms(target): Promise<TestVm[]> {
      const vpg = await vpgOf(target);
      const up = testRunningIn(vpg);
      return (await client.protectedVmsOf(vpg)).map((vm) => ({
        name: vm.VmName ?? String(vm.VmIdentifier),
        vmId: String(vm.VmIdentifier),
        ips: declaredTestIps(target, String(vm.VmIdentifier)),
        poweredOn: up,
      }));
    },

    testRunning,

    async stopTest(target, result) {
      const response = await client.http.request({
        method: "POST", path: `${vpgPath(target.id)}/FailoverTestStop`,
        json: { failoverTestSuccess: result.succeeded, failoverTestSummary: result.summary.slice(0, 1000) },
      });
      const taskId = taskIdOf(response.body);
      await client.waitForTask(taskId, `stop of the failover test of VPG '${target.name}'`);
      return { taskId, succeeded: !(await testRunning(target)) };
    },

    /** The newest FailoverTest report of the VPG since the drill started; ZVMs before 10.x have none (404). */
    async recoveryReport(target, startedAt): Promise<RecoveryReport | undefined> {
      const response = await client.http.request<RecoveryReportAnswer[]>({
        method: "GET", path: "/v1/reports/recovery", accept: [404],
        query: { recoveryType: "FailoverTest", vpgName: String((target.state as Partial<VpgOutputs>).name ?? ""), startTime: startedAt.toISOString() },
      });
      if (response.status === 404 || !Array.isArray(response.body)) return undefined;
      const ours = response.body.filter((r) => r.general?.vpgIdentifier === target.id && r.recoveryOperationIdentifier)
        .sort((a, b) => Date.parse(b.general?.startTime ?? "") - Date.parse(a.general?.startTime ?? ""));
      if (!ours.length) return undefined;
      const rto = Number(ours[0].general?.rtoInSeconds);
      return { id: ours[0].recoveryOperationIdentifier!, ...(Number.isFinite(rto) ? { rtoSeconds: rto } : {}) };
    },
  };
}
