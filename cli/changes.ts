/**
 * The steps of `pulumi preview --json` / `pulumi refresh --preview-only --json`, reduced to what a
 * reviewer of a DR change reads: which resource, which property, old → new. Dynamic providers get no
 * `detailedDiff` from the engine, so old and new are compared here, from the step's states.
 */

import * as shapes from "../provider/resources.generated";

/** What a DR resource type means to a reviewer (the type is the part after `dynamic/`). */
export interface ResourceKind {
  /** A word for the resource in sentences, e.g. "VPG". */
  noun: string;
  /** The property naming the resource on the appliance (the VPG name, the policy's display name). */
  nameKey?: string;
  /** VMs the resource protects: a list of objects holding the id, or a single path. */
  vms?: { list: string; idKey: string } | { single: string };
  /** RPO properties: a higher value is a looser protection. */
  rpoKeys: string[];
  /** Properties whose lower value keeps less history (journal hours, retention instances). */
  historyKeys: string[];
  /** Site properties (a change moves the protection elsewhere). */
  siteKeys: string[];
  /** Properties the appliance's state (failover, pause) shows in; refresh reports them. */
  stateKeys: string[];
  /** Policy limits whose higher value (or `true`) lets organizations do more. */
  limitKeys: string[];
  /** Creating the resource opens something to an organization (an org-policy assignment). */
  createOpens?: boolean;
}

const KINDS: Record<string, ResourceKind> = {
  "zerto:Vpg": {
    noun: "VPG", nameKey: "name", vms: { list: "vms", idKey: "vmId" },
    rpoKeys: ["rpoSeconds"], historyKeys: ["journalHistoryHours"], siteKeys: ["recoverySiteId", "protectedSiteId"],
    stateKeys: ["protectionState"], limitKeys: [],
  },
  "vcda:VmReplication": {
    noun: "VM replication", nameKey: "vmName", vms: { single: "source.vmId" },
    rpoKeys: ["rpo"], historyKeys: [], siteKeys: ["source.site", "destination.site"],
    stateKeys: ["replicationState", "recoveryState", "isReversed"], limitKeys: [],
  },
  "vcda:VappReplication": {
    noun: "vApp replication", nameKey: "vappName", vms: { single: "source.vappId" },
    rpoKeys: ["rpo"], historyKeys: [], siteKeys: ["source.site", "destination.site"],
    stateKeys: ["replicationState"], limitKeys: [],
  },
  "vcda:ReplicationPolicy": {
    noun: "replication policy", nameKey: "displayName",
    rpoKeys: [], historyKeys: [], siteKeys: [], stateKeys: [],
    limitKeys: ["maxInstances", "maxPinnedInstances", "maxIncoming", "onpremDataCap", "allowIncomingProtections", "allowOutgoingProtections",
      "allowIncomingMigrations", "allowOutgoingMigrations", "allowCustomSlaSettings", "allowNotificationConfiguration"],
  },
  "vcda:OrgPolicyAssignment": {
    noun: "policy assignment", nameKey: "org",
    rpoKeys: [], historyKeys: [], siteKeys: [], stateKeys: [], limitKeys: [], createOpens: true,
  },
};

const SHAPES = new Map(Object.values(shapes).map((shape) => [shape.token, shape]));

/** Figures the appliance reports that move on their own (status, actual RPO, per-VM status): the computed outputs other than state. Never drift. */
function observedKeys(type: string, kind: ResourceKind | undefined): Set<string> {
  const computed = SHAPES.get(`drprotect:${type}`)?.computedOutputs ?? [];
  return new Set(computed.filter((key) => !kind?.stateKeys.includes(key)));
}

export type Op = "create" | "update" | "replace" | "delete" | "refresh" | "read" | "import";

export interface PropertyChange {
  path: string;
  old?: unknown;
  new?: unknown;
  /** The names of ids (a site, a VM) the old and new values hold, when looked up. */
  oldName?: string;
  newName?: string;
}

export interface ResourceChange {
  /** Pulumi's name for the resource (the last part of the URN). */
  name: string;
  /** The short type, e.g. "zerto:Vpg". */
  type: string;
  op: Op;
  /** The appliance-side name (VPG name, policy display name), when the state holds one. */
  applianceName?: string;
  changes: PropertyChange[];
  vmsAdded: string[];
  vmsRemoved: string[];
  /** VMs the resource protected before the step (for deletes and replacements). */
  vmsBefore: string[];
  /** The new inputs opt into a protection gap on replacement. */
  gapAllowed: boolean;
  /** A refresh found the resource gone from the appliance. */
  gone?: boolean;
}

interface StepState {
  type?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface Step {
  op: string;
  urn: string;
  oldState?: StepState;
  newState?: StepState;
}

/** Internal inputs of a dynamic resource (the serialized provider) are no reviewer's business. */
const hidden = (key: string) => key.startsWith("__");

/** "pulumi-nodejs:dynamic/zerto:Vpg" → "zerto:Vpg"; other types stay as they are. */
function shortType(type: string | undefined): string {
  return (type ?? "").replace(/^pulumi-nodejs:dynamic\//, "");
}

export function kindOf(type: string): ResourceKind | undefined {
  return KINDS[type];
}

function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The value at a dotted path, e.g. "source.vmId". */
function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Leaf-by-leaf differences; arrays are compared whole (their order is the user's). */
function diffValues(oldValue: unknown, newValue: unknown, prefix = "", skip: (path: string) => boolean = () => false): PropertyChange[] {
  if (isPlainObject(oldValue) && isPlainObject(newValue)) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort();
    return keys.filter((k) => !hidden(k)).flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return skip(path) ? [] : diffValues(oldValue[k], newValue[k], path, skip);
    });
  }
  if (JSON.stringify(oldValue) === JSON.stringify(newValue)) return [];
  return [{ path: prefix, old: oldValue, new: newValue }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function vmIdsOf(kind: ResourceKind | undefined, state: Record<string, unknown> | undefined): string[] {
  if (!kind?.vms || !state) return [];
  if ("single" in kind.vms) {
    const id = at(state, kind.vms.single);
    return typeof id === "string" ? [id] : [];
  }
  const list = at(state, kind.vms.list);
  const idKey = kind.vms.idKey;
  return Array.isArray(list) ? list.map((v) => (v as Record<string, unknown>)?.[idKey]).filter((id): id is string => typeof id === "string") : [];
}

/**
 * `pulumi preview --refresh --json` (CLI 3.248) gives a refresh step whose newState repeats the old
 * state; what the refresh read shows up as the oldState of the resource's next step (none when the
 * resource is gone: the next step creates it). The refresh steps get that as their newState, and
 * the next steps are kept as program changes.
 */
function withRefreshedStates(steps: Step[]): Step[] {
  return steps.map((step, i) => {
    if (step.op !== "refresh") return step;
    const next = steps.slice(i + 1).find((s) => s.urn === step.urn && s.op !== "refresh");
    return next ? { ...step, newState: next.oldState } : step;
  });
}

/**
 * The steps of one resource, merged: a replacement shows up as replace, create-replacement and
 * delete-replaced steps, all for the same URN; the first one with both states speaks for them.
 */
function byResource(steps: Step[]): Step[] {
  const seen = new Map<string, Step>();
  const rank = (op: string) => ["replace", "create-replacement", "delete-replaced"].indexOf(op);
  for (const step of steps) {
    // what a refresh found and what the program changes are separate entries
    const key = `${step.op === "refresh" ? "refresh" : "change"} ${step.urn}`;
    const previous = seen.get(key);
    if (!previous || (rank(step.op) >= 0 && (rank(previous.op) < 0 || rank(step.op) < rank(previous.op)))) seen.set(key, step);
  }
  return [...seen.values()];
}

function opOf(step: Step): Op | undefined {
  switch (step.op) {
    case "create": case "update": case "delete": case "refresh": case "read": case "import":
      return step.op;
    case "replace": case "create-replacement": case "delete-replaced":
      return "replace";
    default:
      return undefined; // same, discard, remove-pending-replace: nothing for a reviewer
  }
}

/**
 * One entry per changed resource of the stack (the stack itself and provider resources left out).
 * Program changes compare old inputs with new inputs; refresh steps compare old and new outputs,
 * leaving out figures that move on their own.
 */
export function resourceChanges(steps: Step[]): ResourceChange[] {
  const result: ResourceChange[] = [];
  for (const step of byResource(withRefreshedStates(steps))) {
    const op = opOf(step);
    const type = shortType(step.newState?.type ?? step.oldState?.type);
    if (!op || type.startsWith("pulumi:")) continue;
    const kind = kindOf(type);
    const refresh = op === "refresh";
    const before = refresh ? step.oldState?.outputs : step.oldState?.inputs ?? step.oldState?.outputs;
    const after = refresh ? step.newState?.outputs : step.newState?.inputs;
    const observed = observedKeys(type, kind);
    const changes = op === "delete" || (refresh && !step.newState) ? [] : diffValues(before ?? {}, after ?? {}, "", (p) => observed.has(p));
    if ((refresh || op === "update") && changes.length === 0 && (!refresh || step.newState)) continue;
    const vmsBefore = vmIdsOf(kind, before);
    const vmsAfter = op === "delete" || (refresh && !step.newState) ? [] : vmIdsOf(kind, after);
    result.push({
      name: nameOfUrn(step.urn),
      type,
      op,
      ...(refresh && !step.newState ? { gone: true } : {}),
      applianceName: applianceName(kind, step),
      changes: kind?.vms && "list" in kind.vms ? changes.filter((c) => c.path !== (kind.vms as { list: string }).list) : changes,
      vmsAdded: vmsAfter.filter((id) => !vmsBefore.includes(id)),
      vmsRemoved: vmsBefore.filter((id) => !vmsAfter.includes(id)),
      vmsBefore,
      gapAllowed: step.newState?.inputs?.allowProtectionGapOnReplace === true,
    });
  }
  return result;
}

function applianceName(kind: ResourceKind | undefined, step: Step): string | undefined {
  if (!kind?.nameKey) return undefined;
  const value = at(step.newState?.inputs, kind.nameKey) ?? at(step.newState?.outputs, kind.nameKey)
    ?? at(step.oldState?.outputs, kind.nameKey) ?? at(step.oldState?.inputs, kind.nameKey);
  return typeof value === "string" ? value : undefined;
}

/** Every VM id the steps mention, for a name look-up. */
export function vmIdsIn(changes: ResourceChange[]): string[] {
  return [...new Set(changes.flatMap((c) => [...c.vmsAdded, ...c.vmsRemoved, ...c.vmsBefore]))];
}

/** A value as a reviewer reads it: strings bare, the rest as compact JSON, absence as "(none)". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The changes with the names of the ids they hold (site and VM ids), where known. */
export function named(changes: PropertyChange[], names: ReadonlyMap<string, string>): PropertyChange[] {
  const nameOf = (value: unknown) => (typeof value === "string" ? names.get(value) : undefined);
  return changes.map((p) => ({ ...p, ...(nameOf(p.old) ? { oldName: nameOf(p.old) } : {}), ...(nameOf(p.new) ? { newName: nameOf(p.new) } : {}) }));
}

/** "path old → new", with names where known: "recoverySiteId Site-B DR (c2d8…) → Site-C DR (7d1e…)". */
export function showChange(p: PropertyChange): string {
  const side = (value: unknown, name: string | undefined) => (name ? `${name} (${show(value)})` : show(value));
  return `${p.path} ${side(p.old, p.oldName)} → ${side(p.new, p.newName)}`;
}

/** "web-01 (…vm-101)" when the name is known, the id otherwise. */
export function vmLabel(id: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(id);
  return name ? `${name} (${id})` : id;
}

/** The pulumi output: the JSON document, after any lines the CLI printed before it. */
export function parseEngineJson(text: string, what: string): { steps?: Step[]; [key: string]: unknown } {
  const start = text.indexOf("{");
  if (start < 0) throw new Error(`${what}: no JSON document in the input (expected the output of ${what} --json)`);
  try {
    return JSON.parse(text.slice(start));
  } catch (err) {
    throw new Error(`${what}: the input is not valid JSON (${(err as Error).message})`);
  }
}
