/**
 * `pulumi-drprotect drift`: a drift report from `pulumi preview --refresh --json` (or `pulumi refresh --preview-only --json`). Pure
 * functions: refresh JSON (and VM and site names) in, a DriftReport as data and as Markdown out.
 */
import { describe } from "./review";
import { kindOf, named, namedVmSettings, nameOfUrn, PropertyChange, resourceChanges, shortType, showChange, showVmChange, Step, vmLabel, VmSettingChange } from "./changes";
import { SUMMARY_INPUTS } from "../provider/zerto/summary";

export interface DriftedResource {
  name: string;
  type: string;
  applianceName?: string;
  /** The resource is gone from the appliance. */
  deleted: boolean;
  /** Failover, pause, test, reversal: the appliance's state moved. */
  stateChanges: PropertyChange[];
  /** Configuration changed by hand (RPO, VMs, sites, ...). */
  settingChanges: PropertyChange[];
  /** A VM's settings changed by hand: a NIC's network or re-IP, a volume's datastore, its journal. */
  vmSettingChanges: VmSettingChange[];
  vmsAdded: string[];
  vmsRemoved: string[];
}

/** VPG settings read in full by the drift command itself (see settingsRead.ts), by URN. */
export interface SettingsRead {
  /** Each VPG's outputs as a full refresh reads them. */
  outputs: ReadonlyMap<string, Record<string, unknown>>;
  /** Why a VPG's settings could not be read. */
  failures: ReadonlyMap<string, string>;
}

/** A resource whose settings the report could not compare in full, and why. */
export interface NotCompared {
  name: string;
  type: string;
  applianceName?: string;
  reason: string;
}

/** A failover test seen by the refresh: information, never drift (docs/api-notes/vcda.md#failover-tests). */
export interface TestInProgress {
  name: string;
  type: string;
  applianceName?: string;
  /** True while the test runs; false when the refresh saw one recorded earlier end. */
  running: boolean;
}

/** A replication a policy's compliance status reports out of compliance, or an organization over its quota. */
export interface NonCompliant {
  /** Pulumi's name of the ReplicationPolicy. */
  policy: string;
  policyName?: string;
  org: string;
  /** Absent for an organization-wide violation (quota, protections or migrations no longer allowed). */
  replicationId?: string;
  vmName?: string;
  rule: string;
}

export interface DriftReport {
  drifted: DriftedResource[];
  tests: TestInProgress[];
  /** What the policies' compliance status says now, changed or not: a state of the tenants' protection. */
  nonCompliant: NonCompliant[];
  /**
   * Resources the engine counts as changed by the refresh without the JSON saying how
   * (`pulumi refresh --preview-only --json` of CLI 3.248 repeats the old state).
   */
  undetailed: number;
  /** VPGs whose per-VM settings (and the rest a summary refresh does not read) were not compared. */
  notCompared: NotCompared[];
  counts: { resources: number; stateChanges: number; settingChanges: number; deleted: number };
}

/**
 * `settings`: the VPGs' settings read in full by the command; without it (or for a VPG it could not
 * read) the refresh's own read counts, and the VPG is listed as not compared in full.
 * `vpgsUnderTest`: the VPGs the command found running a failover test (information, like the tests
 * the refresh saw recorded).
 */
export function driftReport(refresh: { steps?: Step[]; changeSummary?: Record<string, number> }, names: ReadonlyMap<string, string> = new Map(),
  settings?: SettingsRead, vpgsUnderTest: string[] = []): DriftReport {
  const tests: TestInProgress[] = [];
  const all = resourceChanges(refresh.steps ?? [], settings?.outputs).filter((c) => c.op === "refresh").map((c): DriftedResource => {
    const stateKeys = kindOf(c.type)?.stateKeys ?? [];
    const isState = (p: PropertyChange) => stateKeys.some((k) => p.path === k || p.path.startsWith(`${k}.`));
    const testChanges = c.changes.filter((p) => isState(p) && isTestStateChange(p));
    if (testChanges.length) {
      tests.push({ name: c.name, type: c.type, ...(c.applianceName ? { applianceName: c.applianceName } : {}), running: testChanges.some((p) => TEST_STATES.has(String(p.new))) });
    }
    return {
      name: c.name,
      type: c.type,
      applianceName: c.applianceName,
      deleted: c.gone === true,
      stateChanges: named(c.changes.filter((p) => isState(p) && !isTestStateChange(p)), names),
      settingChanges: named(c.changes.filter((p) => !isState(p)), names),
      vmSettingChanges: namedVmSettings(c.vmSettings, names),
      vmsAdded: c.vmsAdded.map((id) => vmLabel(id, names)),
      vmsRemoved: c.vmsRemoved.map((id) => vmLabel(id, names)),
    };
  });
  for (const name of vpgsUnderTest) if (!tests.some((t) => t.name === name && t.running)) tests.push({ name, type: "zerto:Vpg", running: true });
  const drifted = all.filter((d) => d.deleted || d.stateChanges.length || d.settingChanges.length || d.vmSettingChanges.length || d.vmsAdded.length || d.vmsRemoved.length
    || !tests.some((t) => t.name === d.name && t.type === d.type));
  const summary = refresh.changeSummary ?? {};
  const refreshOnly = (refresh.steps ?? []).every((s) => s.op === "refresh" || s.op === "same");
  const undetailed = refreshOnly ? Math.max(0, (summary.update ?? 0) + (summary.delete ?? 0) - all.length) : 0;
  return {
    drifted,
    tests,
    nonCompliant: nonCompliantOf(refresh.steps ?? []),
    undetailed,
    notCompared: notCompared(refresh.steps ?? [], settings),
    counts: {
      resources: drifted.length,
      stateChanges: drifted.reduce((n, d) => n + d.stateChanges.length, 0),
      settingChanges: drifted.reduce((n, d) => n + d.settingChanges.length + d.vmSettingChanges.length + (d.vmsAdded.length || d.vmsRemoved.length ? 1 : 0), 0),
      deleted: drifted.filter((d) => d.deleted).length,
    },
  };
}

/** State values of a failover test (a VPG's protectionState, a replication's state or recoveryState written by an earlier version). */
const TEST_STATES = new Set(["testingFailover", "TEST"]);

/** A state change into or out of a failover test: a test changes no production state, so it is no drift. */
export function isTestStateChange(change: PropertyChange): boolean {
  return TEST_STATES.has(String(change.old)) || TEST_STATES.has(String(change.new));
}

/** Information lines on failover tests the refresh saw. */
function testNote(report: DriftReport): string[] {
  if (!report.tests.length) return [];
  return ["#### Information: failover tests (not drift)",
    ...report.tests.map((t) => `- ℹ️ ${describe(t)}: ${t.running ? "failover test in progress" : "failover test ended"}`), ""];
}

/** The non-compliant replications the refreshed ReplicationPolicy outputs list, with the VM names the refreshed VmReplications know. */
function nonCompliantOf(steps: Step[]): NonCompliant[] {
  const refreshed = steps.filter((s) => s.op === "refresh");
  const latest = (s: Step) => steps.slice(steps.indexOf(s) + 1).find((n) => n.urn === s.urn && n.op !== "refresh")?.oldState ?? s.newState;
  const vmNames = new Map<string, string>();
  for (const s of refreshed) {
    const outputs = latest(s)?.outputs;
    if (typeof outputs?.replicationId === "string" && typeof outputs.vmName === "string") vmNames.set(outputs.replicationId, outputs.vmName);
  }
  const found: NonCompliant[] = [];
  for (const s of refreshed.filter((r) => shortType(r.oldState?.type) === "vcda:ReplicationPolicy")) {
    const outputs = latest(s)?.outputs ?? {};
    const policyName = typeof outputs.displayName === "string" ? outputs.displayName : undefined;
    const entries = Array.isArray(outputs.compliance) ? outputs.compliance as Array<Record<string, any>> : [];
    for (const e of entries) {
      const base = { policy: nameOfUrn(s.urn), ...(policyName ? { policyName } : {}), org: String(e.org) };
      const each = (ids: unknown, rule: string) => (Array.isArray(ids) ? ids : []).forEach((id) =>
        found.push({ ...base, replicationId: String(id), ...(vmNames.has(String(id)) ? { vmName: vmNames.get(String(id)) } : {}), rule }));
      each(e.nonRpoCompliant, "RPO below the policy's minRpo");
      each(e.nonInstancesCompliant, "more instances than the policy's maxInstances");
      if (e.quotaViolation > 0) found.push({ ...base, rule: `${e.quotaViolation} incoming replication(s) over the policy's maxIncoming` });
      if (e.protectionViolation > 0) found.push({ ...base, rule: `${e.protectionViolation} incoming protection(s) the policy no longer allows` });
      if (e.migrationViolation > 0) found.push({ ...base, rule: `${e.migrationViolation} incoming migration(s) the policy no longer allows` });
    }
  }
  return found;
}

/** The VPGs a refresh read that the command did not read in full itself. */
function notCompared(steps: Step[], settings: SettingsRead | undefined): NotCompared[] {
  const vpgs = steps.filter((s) => s.op === "refresh" && shortType(s.oldState?.type) === "zerto:Vpg" && !settings?.outputs.has(s.urn));
  return vpgs.map((s) => {
    const outputs = s.oldState?.outputs ?? {};
    return {
      name: nameOfUrn(s.urn),
      type: "zerto:Vpg",
      ...(typeof outputs.name === "string" ? { applianceName: outputs.name } : {}),
      reason: settings?.failures.get(s.urn) ?? "not read by this command (no ZERTO_URL, or --vm-settings off)",
    };
  });
}

/** What a default (summary) refresh of a VPG leaves out, and the two ways to see it. */
function notComparedNote(report: DriftReport): string[] {
  if (!report.notCompared.length) return [];
  return [
    "#### Not compared: per-VM settings",
    `Unless the refresh ran in full mode (ZERTO_REFRESH_MODE=full or zerto:refreshMode full), it read of a VPG only ${SUMMARY_INPUTS.join(", ")}. `
      + "It does not see per-VM settings (each NIC's failover and test network, re-IP mode, IP, mask, gateway, DNS, MAC replacement; volumes; journals) "
      + "nor WAN compression, test interval, recovery placement, boot groups, scripts or journal limits: those keep the values of the last deployment here. "
      + "Not read by this command:",
    ...report.notCompared.map((n) => `- ${describe(n)}: ${n.reason}`),
    "",
    "To compare them, give this command the ZVM connection (ZERTO_URL with ZERTO_USERNAME/ZERTO_PASSWORD or ZERTO_CLIENT_ID/ZERTO_CLIENT_SECRET): "
      + "it reads each VPG through an edit draft that it deletes, never commits. Or run the refresh in full mode.",
    "",
  ];
}

/** The non-compliant replications, policy by policy. */
function nonCompliantLines(report: DriftReport): string[] {
  if (!report.nonCompliant.length) return [];
  const lines = ["#### Replications out of compliance with their organization's policy (VCDA's compliance status)"];
  for (const n of report.nonCompliant) {
    const what = n.replicationId ? `replication ${n.vmName ? `${n.vmName} (${n.replicationId})` : n.replicationId} of org \`${n.org}\`` : `org \`${n.org}\``;
    lines.push(`- **state** ${what} is non-compliant with policy \`${n.policyName ?? n.policy}\` (${n.policy}): ${n.rule}`);
  }
  lines.push("", "VCDA keeps them running, but refuses their next reconfiguration: the tenant changes them, or the provider loosens the policy.", "");
  return lines;
}

/** Drift, or replications out of compliance: what makes the command exit with findings. */
export function hasFindings(report: DriftReport): boolean {
  return report.drifted.length + report.undetailed + report.nonCompliant.length > 0;
}

export function renderDriftMarkdown(report: DriftReport): string {
  if (report.drifted.length === 0 && report.undetailed === 0 && report.nonCompliant.length > 0) {
    return ["### ⚠️ DR drift report: no drift, but replications out of compliance", "", ...nonCompliantLines(report), ...notComparedNote(report)].join("\n");
  }
  if (report.drifted.length === 0 && report.undetailed === 0) {
    if (!report.notCompared.length && !report.tests.length) return "### ✅ DR drift report: no drift\n\nThe appliances match the last deployment.\n";
    return ["### ✅ DR drift report: no drift found", "", "What was compared matches the last deployment.", "", ...testNote(report), ...notComparedNote(report)].join("\n");
  }
  const { resources, stateChanges, settingChanges, deleted } = report.counts;
  const lines = [`### ⚠️ DR drift report: ${resources + report.undetailed} resource(s) changed out of band`,
    `${stateChanges} state change(s), ${settingChanges} setting change(s), ${deleted} deleted.`, ""];
  if (report.undetailed) {
    lines.push(`${report.undetailed} resource(s) changed without details in the refresh JSON: run \`pulumi preview --refresh --json\` `
      + "into this command (or use --run) for old → new.", "");
  }
  for (const d of report.drifted) {
    lines.push(`#### ${describe(d)}`);
    if (d.deleted) lines.push("- **deleted** on the appliance (refresh drops it from the state; `pulumi up` recreates it)");
    for (const p of d.stateChanges) lines.push(`- **state** ${showChange(p)} (failover, pause or test outside Pulumi)`);
    for (const p of d.settingChanges) lines.push(`- setting ${showChange(p)}`);
    for (const p of d.vmSettingChanges) lines.push(`- VM setting ${showVmChange(p)}`);
    if (d.vmsAdded.length) lines.push(`- setting VMs added: ${d.vmsAdded.join(", ")}`);
    if (d.vmsRemoved.length) lines.push(`- setting VMs removed: ${d.vmsRemoved.join(", ")}`);
    lines.push("");
  }
  lines.push(...testNote(report), ...nonCompliantLines(report), ...notComparedNote(report));
  lines.push("Settings return to the program's values with `pulumi up --refresh`; a state change (failover, pause) needs a decision first.");
  return lines.join("\n") + "\n";
}
