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
  /**
   * VMs the resource protects: a list of objects holding the id, or a single path. A list's VMs carry
   * settings of their own; `parts` are their lists whose elements are matched by id (NIC by NIC).
   */
  vms?: { list: string; idKey: string; parts?: VmPart[] } | { single: string };
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
  /** Where failover tests would run beside the failover itself: the two networks, resource-wide and per NIC. */
  networkPairs?: (state: Record<string, unknown>) => NetworkPair[];
}

/** The failover and failover-test networks of the whole resource (no vmId) or of one VM's NIC. */
export interface NetworkPair {
  vmId?: string;
  part?: { noun: string; id: string };
  failover?: unknown;
  test?: unknown;
}

/** A list of a VM's settings whose elements have ids: its NICs, its volumes. */
export interface VmPart {
  list: string;
  idKey: string;
  /** A word for an element, e.g. "NIC". */
  noun: string;
}

const KINDS: Record<string, ResourceKind> = {
  "zerto:Vpg": {
    noun: "VPG", nameKey: "name",
    vms: { list: "vms", idKey: "vmId", parts: [
      { list: "nics", idKey: "nicId", noun: "NIC" }, { list: "vcdNics", idKey: "nicId", noun: "Cloud Director NIC" }, { list: "volumes", idKey: "volumeId", noun: "volume" },
    ] },
    rpoKeys: ["rpoSeconds"], historyKeys: ["journalHistoryHours"], siteKeys: ["recoverySiteId", "protectedSiteId"],
    stateKeys: ["protectionState"], limitKeys: [], networkPairs: vpgNetworkPairs,
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
    // the tenants' replications its limits do not admit: they move without a change of the policy
    rpoKeys: [], historyKeys: [], siteKeys: [], stateKeys: ["compliance"],
    limitKeys: ["maxInstances", "maxPinnedInstances", "maxIncoming", "onpremDataCap", "allowIncomingProtections", "allowOutgoingProtections",
      "allowIncomingMigrations", "allowOutgoingMigrations", "allowCustomSlaSettings", "allowNotificationConfiguration"],
  },
  "vcda:OrgPolicyAssignment": {
    noun: "policy assignment", nameKey: "org",
    rpoKeys: [], historyKeys: [], siteKeys: [], stateKeys: [], limitKeys: [], createOpens: true,
  },
};

/**
 * A VPG's failover and test networks: the VPG's own (vSphere, else the Cloud Director default), and
 * those of each NIC that sets either, the other one inherited from the VPG.
 */
function vpgNetworkPairs(state: Record<string, unknown>): NetworkPair[] {
  const vpgNetwork = (side: "failover" | "failoverTest") => at(state, `networks.${side}NetworkId`) ?? at(state, `networks.${side}.vcd.defaultRecoveryOrgVdcNetworkId`);
  const vpgPair = { failover: vpgNetwork("failover"), test: vpgNetwork("failoverTest") };
  const pairs: NetworkPair[] = [vpgPair];
  for (const [vmId, vm] of keyed(state.vms, "vmId")) {
    const nics = [{ list: "nics", noun: "NIC", network: "networkId" }, { list: "vcdNics", noun: "Cloud Director NIC", network: "recoveryOrgVdcNetworkId" }];
    for (const { list, noun, network } of nics) {
      for (const [id, nic] of keyed(vm[list], "nicId")) {
        const failover = at(nic, `failover.${network}`);
        const test = at(nic, `failoverTest.${network}`);
        if (failover !== undefined || test !== undefined) {
          pairs.push({ vmId, part: { noun, id }, failover: failover ?? vpgPair.failover, test: test ?? vpgPair.test });
        }
      }
    }
  }
  return pairs;
}

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

/** A change of one VM's settings: of one of its NICs or volumes (`part`), or of its own (journal, placement, boot group). */
export interface VmSettingChange extends PropertyChange {
  vmId: string;
  /** The VM's name, when looked up. */
  vmName?: string;
  /** The NIC or volume; `path` is then within it, e.g. "failover.ipConfig.ip". */
  part?: { noun: string; id: string };
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
  /** Settings of the VMs protected before and after the step, NIC by NIC and volume by volume. */
  vmSettings: VmSettingChange[];
  /** VMs the resource protected before the step (for deletes and replacements). */
  vmsBefore: string[];
  /** Where failover tests now run on the failover (production) network, and did not before. */
  testOnFailoverNetwork: NetworkPair[];
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
export function shortType(type: string | undefined): string {
  return (type ?? "").replace(/^pulumi-nodejs:dynamic\//, "");
}

export function kindOf(type: string): ResourceKind | undefined {
  return KINDS[type];
}

export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** The value at a dotted path, e.g. "source.vmId". */
function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), value);
}

/**
 * Leaf-by-leaf differences, an object on one side only too (each of its leaves added or removed);
 * arrays are compared whole (their order is the user's).
 */
export function diffValues(oldValue: unknown, newValue: unknown, prefix = "", skip: (path: string) => boolean = () => false): PropertyChange[] {
  const objectOrAbsent = (value: unknown) => isPlainObject(value) || value === undefined;
  if (objectOrAbsent(oldValue) && objectOrAbsent(newValue) && oldValue !== newValue) {
    const olds = (oldValue ?? {}) as Record<string, unknown>;
    const news = (newValue ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort();
    return keys.filter((k) => !hidden(k)).flatMap((k) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return skip(path) ? [] : diffValues(olds[k], news[k], path, skip);
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
 * The settings of each VM in both states, leaf by leaf: its own (journal, placement, boot group), then
 * each NIC and volume matched by its id (one only on one side shows every leaf as added or removed).
 */
function vmSettingChanges(kind: ResourceKind | undefined, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): VmSettingChange[] {
  if (!kind?.vms || !("list" in kind.vms)) return [];
  const { list, idKey, parts = [] } = kind.vms;
  const byId = (state: Record<string, unknown> | undefined) => keyed(at(state, list), idKey);
  const olds = byId(before);
  const news = byId(after);
  const changes: VmSettingChange[] = [];
  for (const [vmId, oldVm] of olds) {
    const newVm = news.get(vmId);
    if (!newVm) continue; // a VM that leaves is reported as removed
    const own = (vm: Record<string, unknown>) => Object.fromEntries(Object.entries(vm).filter(([k]) => k !== idKey && !parts.some((p) => p.list === k)));
    changes.push(...diffValues(own(oldVm), own(newVm)).map((p) => ({ ...p, vmId })));
    for (const part of parts) {
      const oldElements = keyed(oldVm[part.list], part.idKey);
      const newElements = keyed(newVm[part.list], part.idKey);
      for (const id of new Set([...oldElements.keys(), ...newElements.keys()])) {
        const diff = diffValues(oldElements.get(id) ?? {}, newElements.get(id) ?? {}, "", (path) => path === part.idKey);
        changes.push(...diff.map((p) => ({ ...p, vmId, part: { noun: part.noun, id } })));
      }
    }
  }
  return changes;
}

/** The objects of a list by their id (objects without one left out). */
function keyed(list: unknown, idKey: string): Map<string, Record<string, unknown>> {
  const elements = Array.isArray(list) ? list.filter(isPlainObject) : [];
  return new Map(elements.filter((e) => typeof e[idKey] === "string").map((e) => [e[idKey] as string, e]));
}

/**
 * `pulumi preview --refresh --json` (CLI 3.248) gives a refresh step whose newState repeats the old
 * state; what the refresh read shows up as the oldState of the resource's next step (none when the
 * resource is gone: the next step creates it). The refresh steps get that as their newState, and
 * the next steps are kept as program changes. `reads` replaces what the refresh read with outputs
 * read in full by the caller, by URN (a resource the refresh found gone stays gone).
 */
function withRefreshedStates(steps: Step[], reads: ReadonlyMap<string, Record<string, unknown>>): Step[] {
  return steps.map((step, i) => {
    if (step.op !== "refresh") return step;
    const next = steps.slice(i + 1).find((s) => s.urn === step.urn && s.op !== "refresh");
    const refreshed = next ? next.oldState : step.newState;
    const read = reads.get(step.urn);
    return { ...step, newState: refreshed && read ? { ...refreshed, outputs: read } : refreshed };
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
 * leaving out figures that move on their own. `reads`: outputs read in full, by URN, to use instead
 * of what a refresh read.
 */
export function resourceChanges(steps: Step[], reads: ReadonlyMap<string, Record<string, unknown>> = new Map()): ResourceChange[] {
  const result: ResourceChange[] = [];
  for (const step of byResource(withRefreshedStates(steps, reads))) {
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
    const vmSettings = op === "create" ? [] : vmSettingChanges(kind, before, after);
    const vmsAdded = vmsAfter.filter((id) => !vmsBefore.includes(id));
    const vmsRemoved = vmsBefore.filter((id) => !vmsAfter.includes(id));
    // the VM list itself is shown as its members and their settings, whole only when neither explains the change
    const vmList = kind?.vms && "list" in kind.vms ? kind.vms.list : undefined;
    const explained = vmSettings.length + vmsAdded.length + vmsRemoved.length > 0;
    result.push({
      name: nameOfUrn(step.urn),
      type,
      op,
      ...(refresh && !step.newState ? { gone: true } : {}),
      applianceName: applianceName(kind, step),
      changes: explained || op === "create" ? changes.filter((c) => c.path !== vmList) : changes,
      vmsAdded,
      vmsRemoved,
      vmSettings,
      vmsBefore,
      testOnFailoverNetwork: op === "delete" || refresh ? [] : testJoinsFailover(kind, before, after),
      gapAllowed: step.newState?.inputs?.allowProtectionGapOnReplace === true,
    });
  }
  return result;
}

/** The network pairs of `after` whose test network is the failover network, where `before` kept them apart. */
function testJoinsFailover(kind: ResourceKind | undefined, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): NetworkPair[] {
  if (!kind?.networkPairs || !after) return [];
  const joined = (p: NetworkPair) => p.failover !== undefined && p.failover !== null && JSON.stringify(p.failover) === JSON.stringify(p.test);
  const where = (p: NetworkPair) => `${p.vmId ?? ""} ${p.part?.noun ?? ""} ${p.part?.id ?? ""}`;
  const joinedBefore = new Set((before ? kind.networkPairs(before) : []).filter(joined).map(where));
  return kind.networkPairs(after).filter((p) => joined(p) && !joinedBefore.has(where(p)));
}

function applianceName(kind: ResourceKind | undefined, step: Step): string | undefined {
  if (!kind?.nameKey) return undefined;
  const value = at(step.newState?.inputs, kind.nameKey) ?? at(step.newState?.outputs, kind.nameKey)
    ?? at(step.oldState?.outputs, kind.nameKey) ?? at(step.oldState?.inputs, kind.nameKey);
  return typeof value === "string" ? value : undefined;
}

/** Every VM id the steps mention, for a name look-up. */
export function vmIdsIn(changes: ResourceChange[]): string[] {
  return [...new Set(changes.flatMap((c) => [...c.vmsAdded, ...c.vmsRemoved, ...c.vmsBefore, ...c.vmSettings.map((p) => p.vmId)]))];
}

/** A value as a reviewer reads it: strings bare, the rest as compact JSON, absence as "(none)". */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The changes with the names of the ids they hold (site and VM ids), where known. */
export function named<T extends PropertyChange>(changes: T[], names: ReadonlyMap<string, string>): T[] {
  const nameOf = (value: unknown) => (typeof value === "string" ? names.get(value) : undefined);
  return changes.map((p) => ({ ...p, ...(nameOf(p.old) ? { oldName: nameOf(p.old) } : {}), ...(nameOf(p.new) ? { newName: nameOf(p.new) } : {}) }));
}

/** "path old → new", with names where known: "recoverySiteId Site-B DR (c2d8…) → Site-C DR (7d1e…)". */
export function showChange(p: PropertyChange): string {
  const side = (value: unknown, name: string | undefined) => (name ? `${name} (${show(value)})` : show(value));
  return `${p.path} ${side(p.old, p.oldName)} → ${side(p.new, p.newName)}`;
}

/** The VM settings' changes with the names of their VMs (and of the ids they hold), where known. */
export function namedVmSettings(changes: VmSettingChange[], names: ReadonlyMap<string, string>): VmSettingChange[] {
  return named(changes, names).map((p) => (names.has(p.vmId) ? { ...p, vmName: names.get(p.vmId) } : p));
}

/** "db-01 (…vm-105) NIC Network adapter 1 failover.ipConfig.ip 10.20.1.15 → 10.20.1.99". */
export function showVmChange(p: VmSettingChange): string {
  return `${vmOf(p)} ${partOf(p)}${showChange(p)}`;
}

/** "db-01 (…vm-105)" when the VM's name is known, its id otherwise. */
export function vmOf(p: { vmId: string; vmName?: string }): string {
  return p.vmName ? `${p.vmName} (${p.vmId})` : p.vmId;
}

/** "NIC Network adapter 1 " for a NIC's or volume's setting, "" for the VM's own. */
export function partOf(p: { part?: { noun: string; id: string } }): string {
  return p.part ? `${p.part.noun} ${p.part.id} ` : "";
}

/** "web-01 (…vm-101)" when the name is known, the id otherwise. */
export function vmLabel(id: string, names: ReadonlyMap<string, string>): string {
  const name = names.get(id);
  return name ? `${name} (${id})` : id;
}

/** What the engine printed about the run: an error is a failed operation. */
export interface Diagnostic {
  urn?: string;
  message?: string;
  severity?: string;
}

export interface EngineDocument {
  steps?: Step[];
  diagnostics?: Diagnostic[];
  changeSummary?: Record<string, number>;
  [key: string]: unknown;
}

/**
 * The pulumi output: the JSON document, after any lines the CLI printed before it. A document that
 * cannot be reported on is refused, so that no report says "no risk" or "no drift" about changes
 * nobody saw: a failed run (error diagnostics, quoted in the message) or one without steps (`{}`).
 */
export function parseEngineJson(text: string, what: string): EngineDocument {
  const start = text.indexOf("{");
  if (start < 0) throw new Error(`${what}: no JSON document in the input (expected the output of ${what} --json)`);
  let document: EngineDocument;
  try {
    document = JSON.parse(text.slice(start));
  } catch (err) {
    throw new Error(`${what}: the input is not valid JSON (${(err as Error).message})`);
  }
  const errors = (Array.isArray(document.diagnostics) ? document.diagnostics : []).filter((d) => d?.severity === "error");
  if (errors.length) {
    throw new Error(`${what} failed (${errors.length} error${errors.length === 1 ? "" : "s"}); a failed run is not reported on. Its errors:\n${errors.map(quoted).join("\n")}`);
  }
  if (!Array.isArray(document.steps) || document.steps.length === 0) {
    throw new Error(`${what}: the document holds no steps, so it shows nothing to report on (expected the output of a successful ${what} --json)`);
  }
  return document;
}

/** "> [db-tier] error: …", each line of the message quoted. */
function quoted(d: Diagnostic): string {
  const text = `${d.urn ? `[${nameOfUrn(d.urn)}] ` : ""}${(d.message ?? "(no message)").trim()}`;
  return text.split("\n").map((line) => `> ${line}`).join("\n");
}
