/**
 * A drill's evidence, for an auditor: what ran, against which targets, with which result. Pure
 * functions: the DrillEvidence data in, Markdown (people, PR comments), JSON (tools) and JUnit XML
 * (CI test tabs) out.
 */
import type { CheckResult } from "./checks";

export type TargetOutcome = "passed" | "failed" | "refused" | "error";

export interface TargetEvidence {
  name: string;
  type: string;
  applianceName?: string;
  id: string;
  outcome: TargetOutcome;
  /** Why it failed, was refused or ended in error (the first reason). */
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  /** The test before this drill, as the appliance last reported it (the VPG's lastTest output), against the test-interval policy. */
  previousTest?: { at: string | null; maxIntervalDays?: number; overdue?: boolean };
  pointInTime?: { id: string; time: string; name?: string; ageSeconds?: number; rpoSeconds?: number; withinRpo?: boolean };
  vmsUp?: { seconds: number; rtoTargetSeconds?: number; withinRto?: boolean };
  checks: CheckResult[];
  cleanup?: { stopped: boolean; taskId?: string; detail: string };
  reports: { startTaskId?: string; stopTaskId?: string; recoveryReportId?: string; applianceRtoSeconds?: number };
}

export interface DrillEvidence {
  stack: string;
  programDir: string;
  /** The program's git commit, when it is in a repository (with "+dirty" for uncommitted changes). */
  commit?: string;
  cliVersion: string;
  pulumiVersion?: string;
  startedAt: string;
  endedAt: string;
  passed: boolean;
  targets: TargetEvidence[];
}

const seconds = (n: number | undefined) => (n === undefined ? "–" : `${Math.round(n * 10) / 10} s`);
const mark = (ok: boolean | undefined) => (ok === undefined ? "" : ok ? " ✅" : " ❌");

export function renderMarkdown(e: DrillEvidence): string {
  const lines = [
    `## ${e.passed ? "✅ DR drill passed" : "❌ DR drill failed"}: stack \`${e.stack}\``,
    "",
    `Run ${e.startedAt} → ${e.endedAt} from \`${e.programDir}\`${e.commit ? ` at commit \`${e.commit}\`` : ""}; `
      + `pulumi-drprotect ${e.cliVersion}${e.pulumiVersion ? `, Pulumi CLI ${e.pulumiVersion}` : ""}.`,
    "",
    "| Target | Result | Point in time (age / RPO) | Test VMs up (RTO target) | Checks | Cleanup |",
    "|---|---|---|---|---|---|",
  ];
  for (const t of e.targets) {
    const pit = t.pointInTime ? `${t.pointInTime.time} (${seconds(t.pointInTime.ageSeconds)} / ${seconds(t.pointInTime.rpoSeconds)})${mark(t.pointInTime.withinRpo)}` : "–";
    const up = t.vmsUp ? `${seconds(t.vmsUp.seconds)} (${seconds(t.vmsUp.rtoTargetSeconds)})${mark(t.vmsUp.withinRto)}` : "–";
    const checks = t.checks.length ? `${t.checks.filter((c) => c.passed).length}/${t.checks.length}` : "none";
    const cleanup = t.cleanup ? (t.cleanup.stopped ? "stopped ✅" : `NOT stopped ❌`) : "–";
    lines.push(`| ${t.name}${t.applianceName ? ` (${t.applianceName})` : ""} | ${t.outcome}${t.reason ? `: ${t.reason.replace(/\|/g, "/")}` : ""} | ${pit} | ${up} | ${checks} | ${cleanup} |`);
  }
  for (const t of e.targets.filter((x) => x.checks.length || x.reports.recoveryReportId || x.cleanup)) {
    lines.push("", `### ${t.name}`, "");
    if (t.startedAt) lines.push(`- Test ${t.startedAt} → ${t.endedAt ?? "–"}`);
    if (t.previousTest) {
      const interval = t.previousTest.maxIntervalDays === undefined ? "" : `; test interval policy ${t.previousTest.maxIntervalDays} days${t.previousTest.overdue ? ": this drill was overdue" : ""}`;
      lines.push(`- Previous failover test: ${t.previousTest.at ?? "none recorded"}${interval}`);
    }
    for (const c of t.checks) lines.push(`- ${c.passed ? "✅" : "❌"} ${c.name} (${c.target}, ${seconds(c.durationMs / 1000)}): ${c.detail}`);
    if (t.cleanup) lines.push(`- Cleanup: ${t.cleanup.detail}${t.cleanup.taskId ? ` (task ${t.cleanup.taskId})` : ""}`);
    const r = t.reports;
    const ids = [r.startTaskId && `start task ${r.startTaskId}`, r.stopTaskId && `stop task ${r.stopTaskId}`,
      r.recoveryReportId && `recovery report ${r.recoveryReportId}${r.applianceRtoSeconds !== undefined ? ` (appliance RTO ${r.applianceRtoSeconds} s)` : ""}`].filter(Boolean);
    if (ids.length) lines.push(`- Appliance records: ${ids.join(", ")}`);
  }
  return lines.join("\n") + "\n";
}

export function renderJson(e: DrillEvidence): string {
  return JSON.stringify(e, null, 2) + "\n";
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One test suite per target; a test case per target requirement (RPO, RTO, cleanup) and per check. */
export function renderJunit(e: DrillEvidence): string {
  const suites = e.targets.map((t) => {
    const cases: Array<{ name: string; seconds: number; failure?: string }> = [];
    if (t.outcome === "refused" || t.outcome === "error") cases.push({ name: "drill", seconds: 0, failure: `${t.outcome}: ${t.reason ?? ""}` });
    if (t.pointInTime?.withinRpo !== undefined) {
      cases.push({ name: "point in time within RPO", seconds: 0, failure: t.pointInTime.withinRpo ? undefined : `${t.pointInTime.ageSeconds} s old, RPO ${t.pointInTime.rpoSeconds} s` });
    }
    if (t.vmsUp) {
      cases.push({ name: "test VMs up within RTO target", seconds: t.vmsUp.seconds, failure: t.vmsUp.withinRto === false ? `${t.vmsUp.seconds} s, target ${t.vmsUp.rtoTargetSeconds} s` : undefined });
    } else if (t.outcome === "failed") {
      cases.push({ name: "test VMs up", seconds: 0, failure: t.reason ?? "the test VMs did not come up" });
    }
    for (const c of t.checks) cases.push({ name: `check: ${c.name}`, seconds: c.durationMs / 1000, failure: c.passed ? undefined : c.detail });
    if (t.cleanup) cases.push({ name: "test stopped (cleanup)", seconds: 0, failure: t.cleanup.stopped ? undefined : t.cleanup.detail });
    const failures = cases.filter((c) => c.failure).length;
    const body = cases.map((c) => `    <testcase classname="${xml(e.stack)}.${xml(t.name)}" name="${xml(c.name)}" time="${c.seconds.toFixed(3)}">`
      + (c.failure ? `\n      <failure message="${xml(c.failure)}"/>\n    </testcase>` : "</testcase>")).join("\n");
    return `  <testsuite name="${xml(t.name)}" tests="${cases.length}" failures="${failures}" timestamp="${xml(t.startedAt ?? e.startedAt)}">\n${body}\n  </testsuite>`;
  });
  const total = e.targets.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="DR drill ${xml(e.stack)}" tests="${total}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** The summary table printed at the end of a run. */
export function renderSummary(e: DrillEvidence): string {
  const rows = e.targets.map((t) => [t.name, t.outcome, t.vmsUp ? seconds(t.vmsUp.seconds) : "–", t.vmsUp?.rtoTargetSeconds !== undefined ? seconds(t.vmsUp.rtoTargetSeconds) : "–",
    t.checks.length ? `${t.checks.filter((c) => c.passed).length}/${t.checks.length}` : "–", t.cleanup ? (t.cleanup.stopped ? "stopped" : "NOT STOPPED") : "–"]);
  const header = ["TARGET", "RESULT", "VMS UP", "RTO", "CHECKS", "CLEANUP"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line), "", e.passed ? "DRILL PASSED" : "DRILL FAILED"].join("\n") + "\n";
}
