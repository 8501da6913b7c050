/**
 * The DR rules as pure functions (resource properties and config in, violation messages out), so
 * they can be tested without the policy engine; index.ts hands them to @pulumi/policy.
 */
import { zvmDate } from "../provider/zerto/dates";

/** A pattern (a regular expression, whole match) → value table; the first matching entry wins. */
export type ByPattern = Record<string, number>;

export interface MaxRpoConfig {
  /** Default maximum RPO in seconds. */
  maxRpoSeconds: number;
  /** Per stack name pattern, e.g. {"prod.*": 300}. */
  stacks?: ByPattern;
  /** Per resource name pattern (Pulumi name or the VPG/VM name), e.g. {"db-.*": 60}; wins over stacks. */
  names?: ByPattern;
}

export const VPG = "pulumi-nodejs:dynamic/zerto:Vpg";
export const VM_REPLICATION = "pulumi-nodejs:dynamic/vcda:VmReplication";
export const REPLICATION_POLICY = "pulumi-nodejs:dynamic/vcda:ReplicationPolicy";

function matches(pattern: string, value: string | undefined): boolean {
  return value !== undefined && new RegExp(`^(?:${pattern})$`).test(value);
}

function lookUp(table: ByPattern | undefined, values: Array<string | undefined>): number | undefined {
  const entry = Object.entries(table ?? {}).find(([pattern]) => values.some((v) => matches(pattern, v)));
  return entry?.[1];
}

export function matchesAny(patterns: string[] | undefined, values: Array<string | undefined>): boolean {
  return (patterns ?? []).some((p) => values.some((v) => matches(p, v)));
}

/** The stack's name from a URN (urn:pulumi:<stack>::<project>::<type>::<name>). */
export function stackOf(urn: string): string {
  return urn.split("::")[0].replace(/^urn:pulumi:/, "");
}

/** A VPG value left undeclared: the provider's default, or the service profile's (unknown here) when the VPG follows one. */
function vpgDefault(props: Record<string, any>, fallback: number): number | undefined {
  return props.serviceProfileId === undefined ? fallback : undefined;
}

/** The RPO of a VPG (seconds) or a VM replication (minutes), in seconds; undefined when unknown. */
export function rpoSecondsOf(type: string, props: Record<string, any>): number | undefined {
  if (type === VPG) return typeof props.rpoSeconds === "number" ? props.rpoSeconds : vpgDefault(props, 300);
  if (type === VM_REPLICATION) return typeof props.rpo === "number" ? props.rpo * 60 : undefined;
  return undefined;
}

export function maxRpoViolation(type: string, name: string, urn: string, props: Record<string, any>, config: MaxRpoConfig): string | undefined {
  const rpo = rpoSecondsOf(type, props);
  if (rpo === undefined) return undefined;
  const stack = stackOf(urn);
  const labels = [name, props.name, props.vmName, props.source?.vmId];
  const max = lookUp(config.names, labels) ?? lookUp(config.stacks, [stack]) ?? config.maxRpoSeconds;
  return rpo > max ? `${name}: RPO ${rpo} s is above the maximum of ${max} s for stack '${stack}'` : undefined;
}

export function journalHistoryViolation(name: string, props: Record<string, any>, minHours: number): string | undefined {
  const hours = typeof props.journalHistoryHours === "number" ? props.journalHistoryHours : vpgDefault(props, 24);
  return hours !== undefined && hours < minHours ? `${name}: journalHistoryHours ${hours} is below the minimum of ${minHours}` : undefined;
}

export function testIntervalViolation(name: string, props: Record<string, any>): string | undefined {
  return props.testIntervalMinutes === 0 ? `${name}: testIntervalMinutes is 0 (failover tests off); set a test interval` : undefined;
}

/**
 * A VPG whose last failover test (the ZVM's LastTest, the `lastTest` output) is older than `maxDays`,
 * or that was never tested. The ZVM records when a test ran, not its result: a drill's evidence
 * (docs/drills.md) says whether it passed. Unknown at preview (a new VPG) is not judged.
 */
export function testedWithinViolation(name: string, props: Record<string, any>, maxDays: number, now: Date): string | undefined {
  if (!("lastTest" in props) || props.lastTest === undefined) return undefined;
  if (props.lastTest === null) return `${name}: VPG '${props.name ?? name}' has never been failover-tested (at most ${maxDays} days between tests)`;
  const last = zvmDate(props.lastTest);
  if (!last) return undefined;
  const days = Math.floor((now.getTime() - last.getTime()) / 86_400_000);
  if (days <= maxDays) return undefined;
  return `${name}: VPG '${props.name ?? name}' was last failover-tested ${days} days ago (${last.toISOString().slice(0, 10)}), more than ${maxDays} days`;
}

/** Applies to the replications whose name or VM matches one of the patterns (all by default). */
export function encryptionViolation(name: string, props: Record<string, any>, requiredFor: string[]): string | undefined {
  if (!matchesAny(requiredFor, [name, props.vmName, props.source?.vmId])) return undefined;
  return props.dataConnectionType === "PLAIN" ? `${name}: dataConnectionType PLAIN sends replication traffic unencrypted; use ENCRYPTED or ENCRYPTED_COMPRESSED` : undefined;
}

export function quiesceViolation(name: string, props: Record<string, any>, requiredFor: string[]): string | undefined {
  if (!matchesAny(requiredFor, [name, props.vmName, props.source?.vmId])) return undefined;
  return props.quiesced === false ? `${name}: quiesced is false, but this replication must quiesce its guest` : undefined;
}

export function retentionViolation(name: string, props: Record<string, any>, minInstances: number): string | undefined {
  const rules: Array<{ numberOfInstances?: number }> | undefined = props.retentionPolicy?.rules;
  if (!rules) return undefined; // VCDA's default (or the SLA profile's) applies
  const kept = rules.reduce((n, r) => n + (r.numberOfInstances ?? 0), 0);
  return kept < minInstances ? `${name}: the retention policy keeps ${kept} instance(s), below the minimum of ${minInstances}` : undefined;
}

export function protectionGapViolation(name: string, urn: string, props: Record<string, any>, allowedStacks: string[]): string | undefined {
  if (props.allowProtectionGapOnReplace !== true || matchesAny(allowedStacks, [stackOf(urn)])) return undefined;
  return `${name}: allowProtectionGapOnReplace lets a replacement delete the protection before the new one exists; `
    + `not allowed in stack '${stackOf(urn)}' (policy config allowedStacks)`;
}

/** The VMs of the list that no VPG or VM replication of the stack protects. */
export function unprotectedVms(resources: Array<{ type: string; props: Record<string, any> }>, required: string[]): string[] {
  const protectedVms = new Set<string>();
  for (const r of resources) {
    if (r.type === VPG) for (const vm of r.props.vms ?? []) protectedVms.add(vm.vmId);
    if (r.type === VM_REPLICATION) {
      if (r.props.source?.vmId) protectedVms.add(r.props.source.vmId);
      if (r.props.vmName) protectedVms.add(r.props.vmName);
    }
  }
  return required.filter((vm) => !protectedVms.has(vm));
}

/**
 * The replications the stack's policies report out of compliance (a ReplicationPolicy's `compliance`
 * output, VCDA's compliance status), except those of organizations matching `ignoreOrgs`. A policy
 * this preview changes has no known output yet (the provider warns about it instead); the next
 * preview, after `up`, fails while any of its replications stays out of compliance.
 */
export function nonCompliantReplications(resources: Array<{ type: string; name: string; props: Record<string, any> }>, ignoreOrgs: string[]): string[] {
  const found: string[] = [];
  for (const r of resources.filter((x) => x.type === REPLICATION_POLICY && Array.isArray(x.props.compliance))) {
    for (const entry of r.props.compliance as Array<Record<string, any>>) {
      if (matchesAny(ignoreOrgs, [entry.org])) continue;
      const ids = [...entry.nonRpoCompliant ?? [], ...entry.nonInstancesCompliant ?? []];
      const counts = (["quotaViolation", "protectionViolation", "migrationViolation"] as const).filter((k) => entry[k] > 0).map((k) => `${k} ${entry[k]}`);
      if (ids.length + counts.length === 0) continue;
      found.push(`${r.name} (policy '${r.props.displayName ?? r.name}'): org '${entry.org}' is out of compliance: `
        + [ids.length ? `replication(s) ${[...new Set(ids)].join(", ")}` : "", ...counts].filter(Boolean).join(", "));
    }
  }
  return found;
}
