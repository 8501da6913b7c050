/**
 * VCDA replication policies in a review: their display names by id, their limits (to tell a stricter
 * policy from a more open one), the replications of organizations, and the impact warnings the
 * provider printed during the preview. Pure functions, but for the optional read-only look-up.
 */
import { vcdaConnection } from "../provider/connection";
import { createVcdaClient } from "../provider/vcda/client";
import { DEFAULT_POLICY_ID } from "../provider/vcda/models";
import { IMPACT_MARK, limitsOf, PolicyLimits, tightenedLimits } from "../provider/vcda/policyImpact";
import { Diagnostic, nameOfUrn, shortType, Step } from "./changes";

export interface KnownPolicy {
  displayName: string;
  limits: Partial<PolicyLimits>;
}

export interface PolicyFacts {
  /** Policies by id: from the preview's states, else from VCDA. */
  policies: Map<string, KnownPolicy>;
  /** Replications into each organization, when VCDA was asked. */
  incomingByOrg: Map<string, number>;
  /** Why VCDA was not asked, or what it said. */
  lookUpNote?: string;
}

/** A warning the provider printed: which resource it is about (type and id) and what it says. */
export interface ImpactWarning {
  type: string;
  id: string;
  message: string;
}

const at = (state: Record<string, unknown> | undefined, key: string) => state?.[key];

/** The policies the preview's states describe, by id: the state after the step, else the one before. */
export function policiesInSteps(steps: Step[]): Map<string, KnownPolicy> {
  const policies = new Map<string, KnownPolicy>();
  for (const step of steps) {
    if (shortType(step.newState?.type ?? step.oldState?.type) !== "vcda:ReplicationPolicy") continue;
    for (const state of [step.oldState, step.newState]) {
      const id = at(state?.outputs, "policyId") ?? at(state?.outputs, "id");
      const displayName = at(state?.inputs, "displayName") ?? at(state?.outputs, "displayName") ?? (id === DEFAULT_POLICY_ID ? "Default Policy" : undefined);
      if (typeof id === "string" && typeof displayName === "string") policies.set(id, { displayName, limits: limitsOf(state?.inputs ?? state?.outputs) });
    }
  }
  return policies;
}

/** The provider's impact warnings among the preview's diagnostics ("… policy impact [vcda:ReplicationPolicy <id>]: …"). */
export function impactWarnings(diagnostics: Diagnostic[] | undefined): ImpactWarning[] {
  const pattern = new RegExp(`${IMPACT_MARK} \\[(\\S+) ([^\\]]+)\\]: (.*)`);
  const warnings = new Map<string, ImpactWarning>();
  for (const line of (diagnostics ?? []).flatMap((d) => (d.message ?? "").split("\n"))) {
    const match = pattern.exec(line);
    if (match) warnings.set(match[0], { type: match[1], id: match[2], message: match[3].trim() });
  }
  return [...warnings.values()];
}

/** The Pulumi name of the resource a warning is about: the step whose state holds its id. */
export function resourceOfWarning(warning: ImpactWarning, steps: Step[]): string {
  const step = steps.find((s) => shortType(s.newState?.type ?? s.oldState?.type) === warning.type
    && [s.oldState, s.newState].some((state) => [at(state?.outputs, "policyId"), at(state?.outputs, "org"), at(state?.inputs, "org")].includes(warning.id)));
  return step ? nameOfUrn(step.urn) : warning.id;
}

/** "stricter (minRpo 5 → 15)", "more open (maxIncoming 10 → -1)", both, or undefined when the limits are not known. */
export function comparePolicies(from: KnownPolicy | undefined, to: KnownPolicy | undefined): { stricter: string[]; opener: string[] } | undefined {
  if (!from || !to) return undefined;
  return { stricter: tightenedLimits(from.limits, to.limits), opener: tightenedLimits(to.limits, from.limits).map(reverse) };
}

/** "minRpo 15 → 5" read back the other way round: "minRpo 5 → 15" → "minRpo 15 → 5". */
function reverse(change: string): string {
  const match = /^(\S+) (.*) → (.*)$/.exec(change);
  return match ? `${match[1]} ${match[3]} → ${match[2]}` : change;
}

/**
 * Policies and organizations' replications read-only from VCDA, when its connection is set the way
 * the provider reads it from the environment (VCDA_URL, VCDA_USERNAME, VCDA_PASSWORD …); the
 * preview's own states win. Without a connection, only what the preview holds is known.
 */
export async function lookUpPolicyFacts(steps: Step[], orgs: string[], warn: (message: string) => void): Promise<PolicyFacts> {
  const policies = policiesInSteps(steps);
  const incomingByOrg = new Map<string, number>();
  if (!process.env.VCDA_URL) return { policies, incomingByOrg, lookUpNote: "VCDA_URL is not set, so the replications of organizations were not looked up" };
  try {
    const client = createVcdaClient(vcdaConnection(), { retry: { attempts: 2 }, requestTimeoutMs: 15_000 });
    for (const live of await client.listPolicies()) {
      if (!policies.has(live.id)) policies.set(live.id, { displayName: live.displayName, limits: limitsOf(live) });
    }
    for (const org of orgs) incomingByOrg.set(org, (await client.listReplicationsOfOrg(org, "destinationOrg")).length);
    return { policies, incomingByOrg };
  } catch (err) {
    warn(`policies not looked up (${(err as Error).message}); policy ids are shown instead`);
    return { policies, incomingByOrg, lookUpNote: `VCDA could not be read (${(err as Error).message})` };
  }
}

/** The display names by policy id, for the names beside ids in the review. */
export function policyNames(facts: PolicyFacts | undefined): Map<string, string> {
  return new Map([...facts?.policies ?? []].map(([id, policy]) => [id, policy.displayName]));
}
