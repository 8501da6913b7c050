/**
 * What a drill tests and against which targets: the stack's DR resources (from `pulumi stack export`),
 * the selection, and the drill file next to the program. Pure functions.
 */
import type { DrillTarget } from "../../provider/failoverTest";
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

/** The drill file's rules, each failure naming the path and the rule: an invalid file starts nothing. */
export function parseDrillFile(text: string, file = "drill.json"): DrillFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const errors: string[] = [];
  const fail = (path: string, rule: string) => errors.push(`${file}: ${path} ${rule}`);
  const isObject = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
  const positiveInt = (v: unknown, path: string, max: number): number | undefined => {
    if (v === undefined) return undefined;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > max) fail(path, `must be an integer in 1..${max}`);
    return v as number;
  };
  const known = (o: Record<string, unknown>, keys: string[], path: string) => {
    for (const key of Object.keys(o)) if (!keys.includes(key)) fail(`${path}${key}`, `is not a known setting (known: ${keys.join(", ")})`);
  };
  const targets = (o: Record<string, any>, path: string) => ({
    rtoSeconds: positiveInt(o.rtoSeconds, `${path}rtoSeconds`, 7 * 86400),
    rpoSeconds: positiveInt(o.rpoSeconds, `${path}rpoSeconds`, 7 * 86400),
    maxTestIntervalDays: positiveInt(o.maxTestIntervalDays, `${path}maxTestIntervalDays`, 3660),
  });
  if (!isObject(raw)) throw new Error(`${file}: must be a JSON object`);
  known(raw, ["parallel", "vmsUpTimeoutSeconds", "rtoSeconds", "rpoSeconds", "maxTestIntervalDays", "targets"], "");
  const parsed: DrillFile = {
    parallel: positiveInt(raw.parallel, "parallel", 32) ?? 2,
    vmsUpTimeoutSeconds: positiveInt(raw.vmsUpTimeoutSeconds, "vmsUpTimeoutSeconds", 86400) ?? 900,
    defaults: targets(raw, ""),
    targets: {},
  };
  if (raw.targets !== undefined && !isObject(raw.targets)) fail("targets", "must be an object keyed by resource name");
  for (const [name, t] of Object.entries(isObject(raw.targets) ? raw.targets : {})) {
    const path = `targets.${name}.`;
    if (!isObject(t)) {
      fail(`targets.${name}`, "must be an object");
      continue;
    }
    known(t, ["rtoSeconds", "rpoSeconds", "maxTestIntervalDays", "addresses", "checks"], path);
    const addresses: Record<string, string> = {};
    if (t.addresses !== undefined && !isObject(t.addresses)) fail(`${path}addresses`, "must map VM names to addresses");
    for (const [vm, address] of Object.entries(isObject(t.addresses) ? t.addresses : {})) {
      if (typeof address !== "string" || !address) fail(`${path}addresses.${vm}`, "must be a non-empty string");
      else addresses[vm] = address;
    }
    if (t.checks !== undefined && !Array.isArray(t.checks)) fail(`${path}checks`, "must be an array");
    const checks = (Array.isArray(t.checks) ? t.checks : []).map((c, i) => parseCheck(c, `${path}checks[${i}]`, fail, positiveInt, known));
    parsed.targets[name] = { ...targets(t, path), addresses, checks: checks.filter((c): c is CheckSpec => c !== undefined) };
  }
  if (errors.length) throw new Error(errors.join("\n"));
  return parsed;
}

function parseCheck(c: unknown, path: string, fail: (path: string, rule: string) => void,
  positiveInt: (v: unknown, path: string, max: number) => number | undefined, known: (o: Record<string, unknown>, keys: string[], path: string) => void): CheckSpec | undefined {
  if (typeof c !== "object" || c === null || Array.isArray(c)) {
    fail(path, "must be an object");
    return undefined;
  }
  const o = c as Record<string, any>;
  known(o, ["name", "vm", "tcp", "host", "http", "expectStatus", "command", "timeoutSeconds"], `${path}.`);
  const kinds = ["tcp", "http", "command"].filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) {
    fail(path, "must declare exactly one of tcp (a port), http (a URL) or command");
    return undefined;
  }
  if (o.vm !== undefined && (typeof o.vm !== "string" || !o.vm)) fail(`${path}.vm`, "must be a VM name");
  const base = {
    name: typeof o.name === "string" && o.name ? o.name : `${kinds[0]} ${o[kinds[0]]}${o.vm ? ` on ${o.vm}` : ""}`,
    ...(o.vm ? { vm: String(o.vm) } : {}),
    timeoutSeconds: positiveInt(o.timeoutSeconds, `${path}.timeoutSeconds`, 3600) ?? DEFAULT_CHECK_TIMEOUT_SECONDS,
  };
  if (o.tcp !== undefined) {
    positiveInt(o.tcp, `${path}.tcp`, 65535);
    if (o.host !== undefined && typeof o.host !== "string") fail(`${path}.host`, "must be a host name or address");
    return { ...base, kind: "tcp", port: o.tcp, ...(o.host ? { host: o.host } : {}) };
  }
  if (o.http !== undefined) {
    if (typeof o.http !== "string" || !/^https?:\/\//.test(o.http)) fail(`${path}.http`, "must be an http:// or https:// URL ({ip} stands for the test VM's address)");
    const expectStatus = positiveInt(o.expectStatus, `${path}.expectStatus`, 599) ?? 200;
    return { ...base, kind: "http", url: o.http, expectStatus };
  }
  if (typeof o.command !== "string" || !o.command.trim()) fail(`${path}.command`, "must be a non-empty command line");
  return { ...base, kind: "command", command: o.command };
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
