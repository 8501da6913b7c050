/**
 * `pulumi-drprotect drift`: a drift report from `pulumi preview --refresh --json` (or `pulumi refresh --preview-only --json`). Pure
 * functions: refresh JSON (and VM and site names) in, a DriftReport as data and as Markdown out.
 */
import { describe } from "./review";
import { kindOf, named, PropertyChange, resourceChanges, showChange, Step, vmLabel } from "./changes";

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
  vmsAdded: string[];
  vmsRemoved: string[];
}

export interface DriftReport {
  drifted: DriftedResource[];
  /**
   * Resources the engine counts as changed by the refresh without the JSON saying how
   * (`pulumi refresh --preview-only --json` of CLI 3.248 repeats the old state).
   */
  undetailed: number;
  counts: { resources: number; stateChanges: number; settingChanges: number; deleted: number };
}

export function driftReport(refresh: { steps?: Step[]; changeSummary?: Record<string, number> }, names: ReadonlyMap<string, string> = new Map()): DriftReport {
  const drifted = resourceChanges(refresh.steps ?? []).filter((c) => c.op === "refresh").map((c): DriftedResource => {
    const stateKeys = kindOf(c.type)?.stateKeys ?? [];
    const isState = (p: PropertyChange) => stateKeys.some((k) => p.path === k || p.path.startsWith(`${k}.`));
    return {
      name: c.name,
      type: c.type,
      applianceName: c.applianceName,
      deleted: c.gone === true,
      stateChanges: named(c.changes.filter(isState), names),
      settingChanges: named(c.changes.filter((p) => !isState(p)), names),
      vmsAdded: c.vmsAdded.map((id) => vmLabel(id, names)),
      vmsRemoved: c.vmsRemoved.map((id) => vmLabel(id, names)),
    };
  });
  const summary = refresh.changeSummary ?? {};
  const refreshOnly = (refresh.steps ?? []).every((s) => s.op === "refresh" || s.op === "same");
  const undetailed = refreshOnly ? Math.max(0, (summary.update ?? 0) + (summary.delete ?? 0) - drifted.length) : 0;
  return {
    drifted,
    undetailed,
    counts: {
      resources: drifted.length,
      stateChanges: drifted.reduce((n, d) => n + d.stateChanges.length, 0),
      settingChanges: drifted.reduce((n, d) => n + d.settingChanges.length + (d.vmsAdded.length || d.vmsRemoved.length ? 1 : 0), 0),
      deleted: drifted.filter((d) => d.deleted).length,
    },
  };
}

export function renderDriftMarkdown(report: DriftReport): string {
  if (report.drifted.length === 0 && report.undetailed === 0) return "### ✅ DR drift report: no drift\n\nThe appliances match the last deployment.\n";
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
    if (d.vmsAdded.length) lines.push(`- setting VMs added: ${d.vmsAdded.join(", ")}`);
    if (d.vmsRemoved.length) lines.push(`- setting VMs removed: ${d.vmsRemoved.join(", ")}`);
    lines.push("");
  }
  lines.push("Settings return to the program's values with `pulumi up --refresh`; a state change (failover, pause) needs a decision first.");
  return lines.join("\n") + "\n";
}
