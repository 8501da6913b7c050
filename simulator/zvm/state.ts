import * as fs from "node:fs";
import { Handler, HttpError, SimClock, SimRequest, SimResponse } from "../common";
import type { InventoryIndex } from "./inventory";
import type { Definition } from "./settingsModel";

export interface ZvmTimings {
  taskPolls: number;
  listingLagMs: number;
  initializingMs: number;
  draftIdleSeconds: number;
  taskCompleteMs: number;
}

/** An in-memory vpgSettings object. */
export interface DraftRecord {
  id: string;
  /** The VPG being edited, null for a new one. */
  vpgId: string | null;
  def: Definition;
  touchedAt: number;
}

export interface VpgRecord {
  id: string;
  def: Definition;
  /** Listed in /v1/vpgs from this time on (eventual consistency after a create). */
  visibleAt: number;
  /** Initializing until this time, then MeetingSLA. */
  syncedAt: number;
  deleting: boolean;
  /** An operation started outside the provider (ZVM UI) that is still under way; see vpgStatus. */
  operation?: VpgOperation;
  /** When the last failover test ended (GET /v1/vpgs and /v1/vms LastTest). */
  lastTestAt?: number;
  /** Checkpoints tagged through the API (POST /v1/vpgs/{id}/Checkpoints). */
  taggedCheckpoints?: CheckpointRecord[];
  /** The failover test started through the API, from its start until its stop task completes. */
  test?: FailoverTestRecord;
  /** Set by the admin API: the VPG reports NotMeetingSLA (a broken link, a full journal). */
  slaBreach?: boolean;
}

export interface CheckpointRecord {
  id: string;
  tag: string | null;
  time: number;
}

export interface FailoverTestRecord {
  startTaskId: string;
  checkpoint: CheckpointRecord;
  vmIds: string[];
  startedAt: number;
  /** When the start task completed: the test VMs are up. */
  upAt?: number;
  stopTaskId?: string;
  stop?: { success: boolean; summary: string };
}

/** GET /v1/reports/recovery entries (docs/api-notes/zerto.md#failover-tests-and-checkpoints). */
export interface RecoveryReportRecord {
  id: string;
  vpgId: string;
  vpgName: string;
  recoveryType: "FailoverTest";
  startedAt: number;
  endedAt: number;
  pointInTime: number;
  rtoSeconds: number;
  success: boolean;
  initiatedBy: string;
  notes: string;
}

export type VpgOperation = "pause" | "failoverTest" | "failover" | "move";

export type TaskType = "CreateProtectionGroup" | "UpdateProtectionGroup" | "RemoveProtectionGroup" | "FailOverTest" | "StopFailOverTest";

export interface TaskRecord {
  id: string;
  type: TaskType;
  initiatedBy: string;
  started: number;
  completed: number | null;
  completeReason: string | null;
  state: number;
  progress: number;
  polls: number;
  vpgId: string;
  /** Create/update: the definition to apply when the task runs. */
  def?: Definition;
  fault?: { mode: TaskFaultMode; reason: string; durationMs?: number; answersState?: number };
}

export type ResponseShape = "10.x" | "7.x";

/** fail: the task ends Failed; stuck: it never ends; slow: it ends only `durationMs` after it started, however often it is polled. */
export type TaskFaultMode = "fail" | "stuck" | "slow" | "cancelling";

export interface TaskFault {
  mode: TaskFaultMode;
  reason: string;
  durationMs?: number;
  /** While a slow or stuck task is under way it answers this Status.State instead of 1 (InProgress): 2 WaitingForUserInput, 3 Paused, or one no document names. */
  answersState?: number;
  remaining: number;
}

/** An authenticated API handler: `user` is who the task journal names as InitiatedBy. */
export type ApiHandler = (req: SimRequest, user: string) => SimResponse | Promise<SimResponse>;

/** What route modules get: the state, and the wrapper that authenticates and persists. */
export interface ZvmContext {
  state: ZvmState;
  protect(handler: ApiHandler): Handler;
}

export const TASK_STATE = { InProgress: 1, Failed: 4, Completed: 6, Cancelling: 7 } as const;

/** Everything the ZVM keeps: drafts, VPGs, tasks, plus the reliability knobs of the admin API. */
export class ZvmState {
  drafts: Record<string, DraftRecord> = {};
  vpgs: Record<string, VpgRecord> = {};
  tasks: Record<string, TaskRecord> = {};
  recoveryReports: RecoveryReportRecord[] = [];
  /** Simulator only: the port each VM's guest serves on 127.0.0.1 while it runs as a test VM (admin API). */
  testServices: Record<string, number> = {};
  taskFault?: TaskFault;
  listingLagMs: number;
  /**
   * The status a DELETE of a VPG that is already Deleting is answered with. The API documents neither
   * this refusal nor its status (docs/api-notes/zerto.md#deleting-a-vpg): 400 is the default, and a 5xx can be
   * set to reproduce ZVMs that answer it as a server error.
   */
  alreadyDeletingStatus = 400;
  /** Base of the Link hrefs, known once the server listens. */
  baseUrl = "";
  /** Which ZVM generation's VpgApi answers: 10.x (default) or 7.x (no descriptions, site names or VpgType). */
  responseShape: ResponseShape = "10.x";

  constructor(
    readonly timings: ZvmTimings,
    readonly clock: SimClock,
    readonly inventory: InventoryIndex,
    private readonly stateFile?: string,
  ) {
    this.listingLagMs = timings.listingLagMs;
  }

  get localSiteId(): string {
    return this.inventory.data.localSite.SiteIdentifier;
  }

  link(path: string, identifier: string, type: string): { href: string; identifier: string; rel: null; type: string } {
    return { href: `${this.baseUrl}/v1/${path}`, identifier, rel: null, type };
  }

  /** A live draft, marked as used; unknown or idle-expired ids are a 404 like on the real ZVM. */
  draft(id: string): DraftRecord {
    this.purgeDrafts();
    const draft = this.drafts[id];
    if (!draft) throw new HttpError(404, `VpgSettings with identifier ${id} was not found. It may have expired or been committed.`);
    draft.touchedAt = this.clock.now();
    return draft;
  }

  purgeDrafts(): void {
    const limit = this.clock.now() - this.timings.draftIdleSeconds * 1000;
    for (const [id, d] of Object.entries(this.drafts)) if (d.touchedAt < limit) delete this.drafts[id];
  }

  /** A VPG that clients can see (created and past the listing lag). */
  visibleVpg(id: string): VpgRecord | undefined {
    const vpg = Object.values(this.vpgs).find((v) => v.id.toLowerCase() === id.toLowerCase());
    return vpg && vpg.visibleAt <= this.clock.now() ? vpg : undefined;
  }

  visibleVpgs(): VpgRecord[] {
    const now = this.clock.now();
    return Object.values(this.vpgs).filter((v) => v.visibleAt <= now);
  }

  reset(): void {
    this.drafts = {};
    this.vpgs = {};
    this.tasks = {};
    this.recoveryReports = [];
    this.testServices = {};
    this.taskFault = undefined;
    this.listingLagMs = this.timings.listingLagMs;
    this.alreadyDeletingStatus = 400;
    this.save();
  }

  save(): void {
    if (!this.stateFile) return;
    const tmp = `${this.stateFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, drafts: this.drafts, vpgs: this.vpgs, tasks: this.tasks, recoveryReports: this.recoveryReports }, null, 1));
    fs.renameSync(tmp, this.stateFile);
  }

  load(): void {
    if (!this.stateFile || !fs.existsSync(this.stateFile)) return;
    const saved = JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
    this.drafts = saved.drafts ?? {};
    this.vpgs = saved.vpgs ?? {};
    this.tasks = saved.tasks ?? {};
    this.recoveryReports = saved.recoveryReports ?? [];
  }
}
