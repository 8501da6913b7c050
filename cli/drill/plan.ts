/**
 * What a drill tests and against which targets: the stack's DR resources (from `pulumi stack export`),
 * the selection, and the drill file next to the program. Pure functions.
 */
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import ajvErrors from "ajv-errors";
import { load as loadYaml } from "js-yaml";
import type { DrillTarget } from "../../provider/failoverTest";
import drillFileSchema = require("./drillFile.schema.json");
import { shortType } from "../changes";

/** The resource types a drill tests, and the output holding the id on the appliance. */
export const DRILLABLE: Record<string, string> = {
  "zerto:Vpg": "vpgId",
  "vcda:VmReplication": "replicationId",
  "vcda:VappReplication": "replicationId",
};

export type CheckSpec = { name: string; vm?: string; timeoutSeconds: number } & (
  | { kind: "tcp"; port: number; host?: string }
  | { kind: "http"; url: string; expectStatus: number }
  | { kind: "command"; command: string });

/** Targets and checks of one resource, from the drill file (defaults filled in). */
export interface TargetSettings {
  rtoSeconds?: number;
  rpoSeconds?: number;
  maxTestIntervalDays?: number;
  /** Test-network addresses by VM name, where the program declares no static re-IP for tests. */
  addresses: Record<string, string>;
  checks: CheckSpec[];
}

export interface DrillFile {
  parallel: number;
  /** How long the test VMs may take to come up before the drill gives up on a target. */
  vmsUpTimeoutSeconds: number;
  defaults: Omit<TargetSettings, "checks" | "addresses">;
  targets: Record<string, TargetSettings>;
}

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 30;

let compiled: ValidateFunction | undefined;

/** The drill file's validator, compiled on first use: the other commands never need it. */
function drillFileValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    ajvErrors(ajv);
    compiled = ajv.compile(drillFileSchema);
  }
  return compiled;
}

type RawCheck = { name?: string; vm?: string; tcp?: number; host?: string; http?: string; expectStatus?: number; command?: string; timeoutSeconds?: number };
type RawTarget = Partial<Pick<TargetSettings, "rtoSeconds" | "rpoSeconds" | "maxTestIntervalDays" | "addresses">> & { checks?: RawCheck[] };
type RawDrillFile = Partial<Pick<DrillFile, "parallel" | "vmsUpTimeoutSeconds">> & RawTarget & { targets?: Record<string, RawTarget> };

/** A JSON pointer as the dotted path people write: /targets/payroll/checks/0/tcp → targets.payroll.checks[0].tcp */
function dottedPath(pointer: string): string {
  return pointer.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

/** One line per problem, naming the path and the rule. */
function describeProblem(file: string, error: ErrorObject): string {
  const at = dottedPath(error.instancePath);
  if (error.keyword === "additionalProperties") {
    const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter((k) => k !== "$schema");
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    return `${file}: ${at ? `${at}.` : ""}${key} is not a known setting (known: ${known.join(", ")})`;
  }
  return `${file}: ${at || "the file"} ${error.message}`;
}

/**
 * The drill file's rules (cli/drill/drillFile.schema.json), each failure naming the path and the
 * rule: an invalid file starts nothing. YAML (drill.yaml) or JSON, by the file's name.
 */
export function parseDrillFile(text: string, file = "drill.json"): DrillFile {
  let raw: unknown;
  const yaml = /\.ya?ml$/i.test(file);
  try {
    raw = yaml ? loadYaml(text, { filename: file }) ?? {} : JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid ${yaml ? "YAML" : "JSON"} (${(err as Error).message})`);
  }
  const validate = drillFileValidator();
  if (!validate(raw)) {
    // a failed "if" is reported beside its "then" branch's own message
    throw new Error((validate.errors ?? []).filter((e) => e.keyword !== "if").map((e) => describeProblem(file, e)).join("\n"));
  }
  const drill = raw as RawDrillFile;
  const targetsOf = (t: RawTarget) => ({ rtoSeconds: t.rtoSeconds, rpoSeconds: t.rpoSeconds, maxTestIntervalDays: t.maxTestIntervalDays });
  return {
    parallel: drill.parallel ?? 2,
    vmsUpTimeoutSeconds: drill.vmsUpTimeoutSeconds ?? 900,
    defaults: targetsOf(drill),
    targets: Object.fromEntries(Object.entries(drill.targets ?? {}).map(([name, t]) => [name, {
      ...targetsOf(t), addresses: { ...t.addresses }, checks: (t.checks ?? []).map(checkOf),
    }])),
  };
}

function checkOf(c: RawCheck): CheckSpec {
  const kind = c.tcp !== undefined ? "tcp" : c.http !== undefined ? "http" : "command";
  const base = {
    name: c.name ?? `${kind} ${c[kind]}${c.vm ? ` on ${c.vm}` : ""}`,
    ...(c.vm ? { vm: c.vm } : {}),
    timeoutSeconds: c.timeoutSeconds ?? DEFAULT_CHECK_TIMEOUT_SECONDS,
  };
  if (c.tcp !== undefined) return { ...base, kind: "tcp", port: c.tcp, ...(c.host ? { host: c.host } : {}) };
  if (c.http !== undefined) return { ...base, kind: "http", url: c.http, expectStatus: c.expectStatus ?? 200 };
  return { ...base, kind: "command", command: c.command! };
}

interface ExportedResource {
  urn?: string;
  type?: string;
  outputs?: Record<string, unknown>;
}

/** The marker of a secret value in an exported state (its ciphertext is no business of a drill, nor of its record). */
const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (typeof value !== "object" || value === null) return value;
  if (SECRET_SIGNATURE in value) return "[secret]";
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutSecrets(v)]));
}

/** The DR resources of an exported stack that a drill can test. */
export function drillTargets(exported: { deployment?: { resources?: ExportedResource[] } }): DrillTarget[] {
  const targets: DrillTarget[] = [];
  for (const r of exported.deployment?.resources ?? []) {
    const idOutput = DRILLABLE[shortType(r.type)];
    const id = r.outputs?.[idOutput];
    if (!idOutput || typeof id !== "string" || !id || !r.urn) continue;
    // the contract's token (drprotect:zerto:Vpg), not the dynamic provider's (pulumi-nodejs:dynamic/zerto:Vpg)
    targets.push({ type: `drprotect:${shortType(r.type)}`, urn: r.urn, name: r.urn.split("::").pop()!, id, state: withoutSecrets(r.outputs ?? {}) as Record<string, unknown> });
  }
  return targets;
}

/** A target's type as people read it: zerto:Vpg, vcda:VmReplication. */
export const typeName = (target: DrillTarget) => target.type.replace(/^drprotect:/, "");

/** The appliance's name of a target (VPG name, replicated VM or vApp), when the state records it. */
export function applianceName(target: DrillTarget): string | undefined {
  const s = target.state;
  const name = s.name ?? s.vmName ?? s.vappName ?? s.sourceVmName;
  return typeof name === "string" ? name : undefined;
}

const globToRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");

/** The targets whose resource name or appliance name matches a pattern (* and ?); all when none is given. An unmatched pattern is an error. */
export function selectTargets(targets: DrillTarget[], patterns: string[]): DrillTarget[] {
  if (!patterns.length) return targets;
  const regexps = patterns.map((p) => ({ p, re: globToRegExp(p) }));
  const unmatched = regexps.filter(({ re }) => !targets.some((t) => re.test(t.name) || re.test(applianceName(t) ?? "")));
  if (unmatched.length) {
    throw new Error(`no VPG or replication in the stack matches ${unmatched.map((u) => `'${u.p}'`).join(", ")} (the stack has: ${targets.map((t) => t.name).join(", ") || "none"})`);
  }
  return targets.filter((t) => regexps.some(({ re }) => re.test(t.name) || re.test(applianceName(t) ?? "")));
}

/** The drill file's settings of a target, its defaults filled in (the VPG's own RPO when the file gives none). */
export function settingsOf(file: DrillFile, target: DrillTarget): TargetSettings {
  const own = file.targets[target.name];
  const stateRpo = typeof target.state.rpoSeconds === "number" ? target.state.rpoSeconds : typeof target.state.rpo === "number" ? target.state.rpo * 60 : undefined;
  return {
    rtoSeconds: own?.rtoSeconds ?? file.defaults.rtoSeconds,
    rpoSeconds: own?.rpoSeconds ?? file.defaults.rpoSeconds ?? stateRpo,
    maxTestIntervalDays: own?.maxTestIntervalDays ?? file.defaults.maxTestIntervalDays,
    addresses: own?.addresses ?? {},
    checks: own?.checks ?? [],
  };
}

/** Drill-file entries naming no resource of the stack: most likely a typo, so the drill refuses them. */
export function unknownTargetNames(file: DrillFile, targets: DrillTarget[]): string[] {
  return Object.keys(file.targets).filter((name) => !targets.some((t) => t.name === name));
}

/** The plan as data (`--dry-run --format json`). */
export function planData(stack: string, targets: DrillTarget[], file: DrillFile) {
  return {
    stack,
    parallel: Math.min(file.parallel, targets.length),
    targets: targets.map((t) => ({ name: t.name, type: typeName(t), id: t.id, applianceName: applianceName(t), ...settingsOf(file, t) })),
  };
}

/** The plan, as printed before anything starts. */
export function renderPlan(stack: string, targets: DrillTarget[], file: DrillFile): string {
  const lines = [`Drill plan for stack '${stack}': ${targets.length} target(s), ${Math.min(file.parallel, targets.length)} at a time`];
  for (const t of targets) {
    const s = settingsOf(file, t);
    const name = applianceName(t);
    lines.push(`  ${t.name} (${typeName(t)}${name ? ` '${name}'` : ""}, ${t.id}): `
      + `${s.rtoSeconds === undefined ? "no RTO target" : `RTO target ${s.rtoSeconds} s`}, ${s.rpoSeconds === undefined ? "no RPO" : `RPO ${s.rpoSeconds} s`}, `
      + `${s.checks.length} check(s)${s.checks.length ? `: ${s.checks.map((c) => c.name).join("; ")}` : ""}`);
  }
  lines.push("  Each: check health, tag a point in time, start the failover test, wait for the test VMs, run the checks, stop the test.");
  return lines.join("\n") + "\n";
}
