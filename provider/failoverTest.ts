/**
 * The failover-test life cycle a drill drives, one driver per product (`zerto/failoverTest.ts`,
 * `vcda/failoverTest.ts`). A driver only tests: it never fails over, moves, commits or reverses,
 * so a drill changes no production state.
 */

/** What a drill tests, as the stack's state names it. */
export interface DrillTarget {
  /** The resource's type token, e.g. `drprotect:zerto:Vpg`, `drprotect:vcda:VmReplication`. */
  type: string;
  urn: string;
  /** The resource's logical name in the program. */
  name: string;
  /** The VPG or replication id on the appliance. */
  id: string;
  /** The resource's inputs and outputs as recorded in state (secrets already removed). */
  state: Record<string, unknown>;
}

export interface Health {
  ready: boolean;
  /** Why not ready, in words a person acts on (e.g. "NotMeetingSLA", "a failover test is already running"). */
  reason?: string;
  testRunning: boolean;
}

/** The point in time a test recovers to: a tagged Zerto checkpoint or a VCDA instance. */
export interface PointInTime {
  id: string;
  /** ISO 8601. */
  time: string;
  name?: string;
}

export interface TestVm {
  name: string;
  vmId?: string;
  /** Addresses on the test network, where the drill's checks connect. */
  ips: string[];
  poweredOn: boolean;
}

export interface StartedTest {
  /** The appliance task that started the test. */
  taskId: string;
  point: PointInTime;
}

export interface StopResult {
  taskId: string;
  succeeded: boolean;
}

export interface RecoveryReport {
  id: string;
  rtoSeconds?: number;
}

export interface FailoverTestDriver {
  health(target: DrillTarget): Promise<Health>;
  /** Tags a checkpoint (Zerto) or picks the latest instance (VCDA) to test from. */
  pointInTime(target: DrillTarget, tag: string): Promise<PointInTime>;
  /** Starts the test and waits for its task to complete. */
  startTest(target: DrillTarget, point: PointInTime): Promise<StartedTest>;
  /** The test VMs as the appliance reports them now; a drill polls this until all are up. */
  testVms(target: DrillTarget): Promise<TestVm[]>;
  /** Whether a test is running now, read from the appliance (never guessed from a local record). */
  testRunning(target: DrillTarget): Promise<boolean>;
  /** Stops the test (Zerto) or cleans it up (VCDA) and waits for the task. */
  stopTest(target: DrillTarget, result: { succeeded: boolean; summary: string }): Promise<StopResult>;
  /** The appliance's report of the test, where the API has one. */
  recoveryReport?(target: DrillTarget, startedAt: Date): Promise<RecoveryReport | undefined>;
}
