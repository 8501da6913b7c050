/**
 * `pulumi-drprotect review`: a pull-request comment from `pulumi preview --json`. Pure functions:
 * preview JSON (and VM and site names) in, a Review as data and as Markdown out.
 */
import {
  Diagnostic, kindOf, named, namedVmSettings, NetworkPair, Op, partOf, PropertyChange, ResourceChange, resourceChanges, show, showChange, showVmChange, Step,
  vmLabel, vmOf, VmSettingChange,
} from "./changes";
import { DEFAULT_POLICY_ID } from "../provider/vcda/models";
import { comparePolicies, impactWarnings, PolicyFacts, policyNames, resourceOfWarning } from "./policyReview";

export type RiskKind = "protection-deleted" | "protection-replaced" | "vm-unprotected" | "rpo-loosened" | "history-loosened"
  | "policy-opened" | "policy-tightened" | "policy-stricter" | "policy-moved" | "policy-deleted" | "org-to-default" | "site-changed" | "failover-network-changed" | "failover-ip-changed" | "re-ip-lost" | "test-on-failover-network" | "drift";

export interface Risk {
  kind: RiskKind;
  /** Pulumi's name for the resource the risk is on. */
  resource: string;
  message: string;
}

export interface Review {
  risks: Risk[];
  resources: Array<ResourceChange & { vmsAddedLabels: string[]; vmsRemovedLabels: string[] }>;
  /** Resources changed out of band, found by a preview run with --refresh. */
  drift: ResourceChange[];
  counts: Partial<Record<Op, number>>;
}

const RISK_TITLES: Record<RiskKind, string> = {
  "protection-deleted": "Protection deleted",
  "protection-replaced": "Protection replaced",
  "vm-unprotected": "VM unprotected",
  "rpo-loosened": "RPO loosened",
  "history-loosened": "History shortened",
  "policy-opened": "Policy opened",
  "policy-tightened": "Policy tightened below live replications",
  "policy-stricter": "Org moved to a stricter policy",
  "policy-moved": "Org moved to another policy",
  "policy-deleted": "Policy deleted",
  "org-to-default": "Org back on the default policy",
  "site-changed": "Site changed",
  "failover-network-changed": "Failover network changed",
  "failover-ip-changed": "Failover IP changed",
  "re-ip-lost": "Re-IP lost",
  "test-on-failover-network": "Test network is the failover network",
  drift: "Drift found",
};

/** `facts`: VCDA policies and organizations' replications (cli/policyReview.ts); their names join `names`. */
export function reviewPreview(preview: { steps?: Step[]; diagnostics?: Diagnostic[] }, vmAndSiteNames: ReadonlyMap<string, string> = new Map(), facts?: PolicyFacts): Review {
  const names = new Map([...vmAndSiteNames, ...policyNames(facts)]);
  const all = resourceChanges(preview.steps ?? []).map((c) => ({ ...c, changes: named(c.changes, names), vmSettings: namedVmSettings(c.vmSettings, names) }));
  const drift = all.filter((c) => c.op === "refresh");
  const changes = all.filter((c) => c.op !== "refresh");
  const counts: Partial<Record<Op, number>> = {};
  for (const c of changes) counts[c.op] = (counts[c.op] ?? 0) + 1;
  const impacts = impactWarnings(preview.diagnostics).map((w): Risk => ({ kind: "policy-tightened", resource: resourceOfWarning(w, preview.steps ?? []), message: w.message }));
  const risks = [...impacts, ...changes.flatMap((c) => risksOf(c, names, facts)), ...drift.map((c): Risk => ({
    kind: "drift", resource: c.name,
    message: c.gone ? `${describe(c)} was deleted out of band` : `${describe(c)} changed out of band: ${[...c.changes.map(showChange), ...c.vmSettings.map(showVmChange)].join(", ") || "VMs differ"}`,
  }))];
  return {
    risks,
    resources: changes.map((c) => ({ ...c, vmsAddedLabels: c.vmsAdded.map((id) => vmLabel(id, names)), vmsRemovedLabels: c.vmsRemoved.map((id) => vmLabel(id, names)) })),
    drift,
    counts,
  };
}

/** "VPG web-tier (zerto:Vpg web-tier)": the appliance's name first, Pulumi's after. */
export function describe(c: Pick<ResourceChange, "type" | "name" | "applianceName">): string {
  const noun = kindOf(c.type)?.noun ?? c.type;
  return `${noun} \`${c.applianceName ?? c.name}\` (${c.type} ${c.name})`;
}

function risksOf(c: ResourceChange, names: ReadonlyMap<string, string>, facts: PolicyFacts | undefined): Risk[] {
  const kind = kindOf(c.type);
  if (!kind) return [];
  const risk = (k: RiskKind, message: string): Risk => ({ kind: k, resource: c.name, message });
  const risks: Risk[] = [];
  const protects = !!kind.vms;
  if (c.op === "delete" && protects) {
    risks.push(risk("protection-deleted", `${describe(c)} is deleted`));
    for (const id of c.vmsBefore) risks.push(risk("vm-unprotected", `${vmLabel(id, names)} loses its protection (${describe(c)} is deleted)`));
  }
  if (c.op === "delete" && c.type === "vcda:ReplicationPolicy") risks.push(risk("policy-deleted", `${describe(c)} is deleted`));
  if (c.op === "delete" && kind.createOpens) risks.push(...backToDefault(c, `${describe(c)} is deleted`, facts).map((m) => risk("org-to-default", m)));
  if (c.op === "replace" && protects) {
    risks.push(risk("protection-replaced", `${describe(c)} is replaced: ${c.gapAllowed
      ? "the old one is deleted before the new one exists (allowProtectionGapOnReplace), VMs are unprotected until the new initial sync"
      : "a new one is created"}`));
  }
  if (c.op !== "delete") for (const id of c.vmsRemoved) risks.push(risk("vm-unprotected", `${vmLabel(id, names)} is removed from ${describe(c)}`));
  if (c.op === "create" && kind.createOpens) risks.push(risk("policy-opened", `${describe(c)} is created`));
  for (const pair of c.testOnFailoverNetwork) risks.push(risk("test-on-failover-network", `${describe(c)}: ${testOnFailover(pair, names)}`));
  if (c.op === "delete" || c.op === "create") return risks;
  risks.push(...failoverRisks(c).map((r) => risk(r.kind, `${describe(c)}: ${r.message}`)));
  const changed = (keys: string[]) => c.changes.filter((p) => keys.some((k) => p.path === k || p.path.startsWith(`${k}.`)));
  for (const p of changed(kind.rpoKeys)) {
    if (numeric(p) && (p.new as number) > (p.old as number)) risks.push(risk("rpo-loosened", `${describe(c)}: ${showChange(p)}`));
  }
  for (const p of changed(kind.historyKeys)) {
    if (numeric(p) && (p.new as number) < (p.old as number)) risks.push(risk("history-loosened", `${describe(c)}: ${showChange(p)}`));
  }
  for (const p of changed(kind.siteKeys)) risks.push(risk("site-changed", `${describe(c)}: ${showChange(p)}`));
  for (const p of changed(kind.limitKeys)) {
    const opened = numeric(p) ? (p.new as number) > (p.old as number) : p.new === true && p.old !== true;
    if (opened) risks.push(risk("policy-opened", `${describe(c)}: ${showChange(p)}`));
  }
  // a lower minimum RPO lets organizations use tighter, costlier RPOs: a raised limit too
  for (const p of c.changes.filter((q) => q.path === "minRpo" && c.type === "vcda:ReplicationPolicy")) {
    if (numeric(p) && (p.new as number) < (p.old as number)) risks.push(risk("policy-opened", `${describe(c)}: ${showChange(p)}`));
  }
  if (kind.createOpens) for (const p of changed(["policyId"])) risks.push(...policyMove(c, p, facts).map((r) => risk(r.kind, r.message)));
  return risks;
}

/** An organization whose policy changes: to the default one, to a stricter or a more open one (both when limits go both ways). */
function policyMove(c: ResourceChange, p: PropertyChange, facts: PolicyFacts | undefined): Array<{ kind: RiskKind; message: string }> {
  const moved = `${describe(c)}: ${showChange(p)}`;
  if (p.new === DEFAULT_POLICY_ID) return backToDefault(c, moved, facts).map((message) => ({ kind: "org-to-default", message }));
  const compared = comparePolicies(facts?.policies.get(String(p.old)), facts?.policies.get(String(p.new)));
  if (!compared) return [{ kind: "policy-moved", message: `${moved} (the limits of one of the policies are not known here, so it is not said whether the new one is stricter or more open)` }];
  const found: Array<{ kind: RiskKind; message: string }> = [];
  if (compared.stricter.length) found.push({ kind: "policy-stricter", message: `${moved}: a stricter policy (${compared.stricter.join(", ")})` });
  if (compared.opener.length) found.push({ kind: "policy-opened", message: `${moved}: a more open policy (${compared.opener.join(", ")})` });
  return found;
}

/** The organization goes back to the default policy: a risk while replications run into it, or when that is not known. */
function backToDefault(c: ResourceChange, what: string, facts: PolicyFacts | undefined): string[] {
  const org = c.applianceName ?? c.name;
  const incoming = facts?.incomingByOrg.get(org);
  if (incoming === 0) return [];
  const known = incoming === undefined ? `whether replications run into it is not known (${facts?.lookUpNote ?? "VCDA was not asked"})` : `${incoming} replication(s) run into it`;
  return [`organization \`${org}\` goes back to the default policy (${what}); ${known}`];
}

/** Where failover tests would join production: "failover tests of db-01 (…) NIC Network adapter 1 run on its failover network net-1". */
function testOnFailover(pair: NetworkPair, names: ReadonlyMap<string, string>): string {
  const where = pair.vmId ? `of ${vmLabel(pair.vmId, names)} ${partOf(pair)}`.trimEnd() : "of every NIC without its own networks";
  const network = names.get(String(pair.failover));
  return `failover tests ${where} run on the failover (production) network ${network ? `${network} (${show(pair.failover)})` : show(pair.failover)}`;
}

const NIC_NETWORK = ["failover.networkId", "failover.recoveryOrgVdcNetworkId"];
const NIC_ADDRESS = ["failover.ipConfig.ip", "failover.ipConfig.subnetMask", "failover.ipConfig.gateway", "failover.ipAddress"];
const isNic = (p: VmSettingChange) => p.part?.noun.endsWith("NIC") === true;
const present = (value: unknown) => value !== undefined && value !== null;

/**
 * What decides whether a VM comes up reachable after a failover: the network it joins and its
 * re-IP. A changed failover network (the VPG's or a NIC's), a changed failover address, and a NIC
 * that no longer re-IPs to a static address.
 */
function failoverRisks(c: ResourceChange): Array<{ kind: RiskKind; message: string }> {
  const risks: Array<{ kind: RiskKind; message: string }> = [];
  for (const p of c.changes.filter((q) => q.path === "networks.failoverNetworkId" || q.path.startsWith("networks.failover.vcd."))) {
    risks.push({ kind: "failover-network-changed", message: `every NIC without its own failover network moves: ${showChange(p)}` });
  }
  for (const p of c.vmSettings.filter(isNic)) {
    if (NIC_NETWORK.includes(p.path)) risks.push({ kind: "failover-network-changed", message: showVmChange(p) });
    if (NIC_ADDRESS.includes(p.path) && present(p.old) && present(p.new)) risks.push({ kind: "failover-ip-changed", message: showVmChange(p) });
    if (p.path === "failover.ipConfig.mode" && p.old === "static" && p.new !== "static") {
      const oldIp = c.vmSettings.find((q) => q.vmId === p.vmId && q.part?.id === p.part?.id && q.path === "failover.ipConfig.ip")?.old;
      const after = p.new === undefined
        ? "no longer declared (the ZVM keeps what it has, but nothing compares it any more)"
        : p.new === "keep" ? "the guest keeps its protected-site address" : `it asks ${show(p.new).toUpperCase()} for one`;
      risks.push({ kind: "re-ip-lost", message: `${vmOf(p)} ${partOf(p)}loses its static failover re-IP${present(oldIp) ? ` ${show(oldIp)}` : ""}: ${after} (${showChange(p)})` });
    }
  }
  return risks;
}

function numeric(p: PropertyChange): boolean {
  return typeof p.old === "number" && typeof p.new === "number";
}

const OP_SIGNS: Record<Op, string> = { create: "+", update: "~", replace: "+-", delete: "-", refresh: "~", read: ">", import: "=" };

/** The PR comment: risks lead, then each resource's changes, then the counts. */
export function renderReviewMarkdown(review: Review, title = "DR change review"): string {
  const lines: string[] = [];
  const n = review.risks.length;
  lines.push(n ? `### ⚠️ ${title}: ${n} risk${n === 1 ? "" : "s"}` : `### ✅ ${title}: no DR risk found`);
  for (const r of review.risks) lines.push(`- **${RISK_TITLES[r.kind]}**: ${r.message}`);
  lines.push("");
  if (review.resources.length === 0 && review.drift.length === 0) lines.push("No DR resource changes.");
  for (const c of review.resources) {
    lines.push(`#### \`${OP_SIGNS[c.op]}\` ${c.op} ${describe(c)}`);
    if (c.changes.length && c.op !== "create") lines.push(...changeTable(c.changes));
    else if (c.op === "create") lines.push(...createdSummary(c));
    if (c.vmSettings.length) lines.push(...(c.changes.length ? [""] : []), ...vmSettingsTable(c.vmSettings));
    if (c.vmsAddedLabels.length) lines.push(`- VMs added (${c.vmsAddedLabels.length}): ${c.vmsAddedLabels.join(", ")}`);
    if (c.vmsRemovedLabels.length) lines.push(`- VMs removed (${c.vmsRemovedLabels.length}): ${c.vmsRemovedLabels.join(", ")}`);
    lines.push("");
  }
  if (review.drift.length) {
    lines.push("#### Drift found by --refresh (the appliance differs from the last deployment)");
    for (const c of review.drift) lines.push(`- ${describe(c)}: ${[...c.changes.map(showChange), ...c.vmSettings.map(showVmChange)].join(", ")}`);
    lines.push("");
  }
  const counts = Object.entries(review.counts).map(([op, count]) => `${count} to ${op}`);
  lines.push(`Counts: ${counts.join(", ") || "nothing to change"}; ${review.risks.length} risk(s)${review.drift.length ? `; ${review.drift.length} drifted` : ""}.`);
  return lines.join("\n") + "\n";
}

function changeTable(changes: PropertyChange[]): string[] {
  return ["| property | old | new |", "|---|---|---|", ...changes.map((p) => `| ${p.path} | ${cell(p.old, p.oldName)} | ${cell(p.new, p.newName)} |`)];
}

/** The VMs' settings, NIC by NIC and volume by volume, as the table of the resource's own. */
function vmSettingsTable(changes: VmSettingChange[]): string[] {
  return ["| VM | NIC / volume | property | old | new |", "|---|---|---|---|---|",
    ...changes.map((p) => `| ${vmOf(p)} | ${partOf(p).trim() || "(VM)"} | ${p.path} | ${cell(p.old, p.oldName)} | ${cell(p.new, p.newName)} |`)];
}

function createdSummary(c: ResourceChange): string[] {
  const key = kindOf(c.type)?.rpoKeys[0];
  const rpo = key ? c.changes.find((p) => p.path === key) : undefined;
  return rpo ? [`- ${key}: ${show(rpo.new)}`] : [];
}

function cell(value: unknown, name?: string): string {
  const code = `\`${show(value).replace(/\|/g, "\\|")}\``;
  return name ? `${name} ${code}` : code;
}
