import { randomUUID } from "node:crypto";
import { Router } from "../common";
import { badRequest, fail, targetSite } from "./api";
import type { SessionManager } from "./auth";
import { DEFAULT_POLICY, Policy, ReplicationRecord, VcdaStore } from "./state";
import type { TaskEngine } from "./tasks";

const NUMBER_FIELDS = ["minRpo", "maxInstances", "maxPinnedInstances", "maxIncoming", "onpremDataCap"] as const;
const BOOLEAN_FIELDS = ["allowIncomingProtections", "allowOutgoingProtections", "allowIncomingMigrations",
  "allowOutgoingMigrations", "allowCustomSlaSettings", "allowNotificationConfiguration"] as const;

/**
 * Builds a policy from a POST/PUT body. Both overwrite every property; an omitted one takes the
 * shipped default policy's value. `id` and `orgs` are read-only and ignored.
 */
export function policyFromBody(body: any, id: string, store: VcdaStore, base: Policy = DEFAULT_POLICY): Policy {
  if (!body || typeof body !== "object" || Array.isArray(body)) badRequest("InvalidPolicy", "The request body must be a policy object.");
  if (typeof body.displayName !== "string" || body.displayName.trim() === "") {
    badRequest("InvalidPolicy", "Policy property 'displayName' is required and must be a non-empty string.", ["displayName"]);
  }
  const policy: Policy = { ...base, id, displayName: body.displayName };
  for (const field of NUMBER_FIELDS) {
    if (body[field] === undefined) continue;
    if (!Number.isInteger(body[field])) badRequest("InvalidPolicy", `Policy property '${field}' must be an integer, got ${JSON.stringify(body[field])}.`, [field]);
    policy[field] = body[field];
  }
  for (const field of BOOLEAN_FIELDS) {
    if (body[field] === undefined) continue;
    if (typeof body[field] !== "boolean") badRequest("InvalidPolicy", `Policy property '${field}' must be a boolean, got ${JSON.stringify(body[field])}.`, [field]);
    policy[field] = body[field];
  }
  const clash = store.data.policies.find((p) => p.displayName === policy.displayName && p.id !== id);
  if (clash) badRequest("PolicyNameNotUnique", `A policy with displayName '${policy.displayName}' already exists (id '${clash.id}').`, [policy.displayName]);
  return policy;
}

function policyNotFound(id: string): never {
  return fail(404, "PolicyNotFound", `Policy with id '${id}' was not found.`, [id]);
}

export function requirePolicy(store: VcdaStore, id: string): Policy {
  return store.policy(id) ?? policyNotFound(id);
}

/** Removes a policy; refuses the default one, and (unless `reassign`) one that organizations still use. */
export function deletePolicy(store: VcdaStore, id: string, reassign: boolean): void {
  const policy = requirePolicy(store, id);
  if (id === "default") badRequest("DefaultPolicyNotDeletable", "The default policy cannot be deleted.", [id]);
  const orgs = store.orgsOfPolicy(id);
  if (orgs.length > 0 && !reassign) {
    badRequest("PolicyInUse",
      `Policy '${policy.displayName}' cannot be deleted: it is assigned to ${orgs.length} organization(s) (${orgs.join(", ")}); assign them another policy first.`,
      [policy.displayName, ...orgs]);
  }
  for (const org of orgs) delete store.data.orgPolicies[org];
  store.data.policies = store.data.policies.filter((p) => p.id !== id);
  store.changed();
}

export function assignPolicy(store: VcdaStore, policyId: string, org: string): void {
  requirePolicy(store, policyId);
  if (!store.org(org)) fail(404, "OrgNotFound", `Organization '${org}' was not found at site '${store.inventory.localSite}'.`, [org]);
  if (policyId === "default") delete store.data.orgPolicies[org];
  else store.data.orgPolicies[org] = policyId;
  store.changed();
}

export function routes(router: Router, store: VcdaStore, sessions: SessionManager, tasks: TaskEngine): void {
  const { authed } = sessions;
  const admin = true;
  router
    .on("GET", "/policies", authed((req) => {
      targetSite(req, store);
      return { status: 200, body: store.data.policies.map((p) => store.policyView(p)) };
    }))
    .on("POST", "/policies/sync", authed((_req, session) => {
      const task = tasks.start(session, { type: "sync", resourceType: "policies", site: store.inventory.localSite }, {
        apply: () => {
          // Drops assignments of organizations that no longer exist; unassigned orgs already read as `default`.
          for (const org of Object.keys(store.data.orgPolicies)) if (!store.org(org)) delete store.data.orgPolicies[org];
          store.changed();
          return { kind: "succeed" };
        },
      });
      return { status: 202, body: task };
    }, admin))
    .on("GET", "/policies/:id", authed((req) => {
      targetSite(req, store);
      return { status: 200, body: store.policyView(requirePolicy(store, req.params.id)) };
    }))
    .on("POST", "/policies", authed((req) => {
      const policy = policyFromBody(req.body, randomUUID(), store);
      store.data.policies.push(policy);
      store.changed();
      return { status: 201, body: store.policyView(policy), headers: { Location: `/policies/${policy.id}` } };
    }, admin))
    .on("PUT", "/policies/:id", authed((req) => {
      const existing = requirePolicy(store, req.params.id);
      const policy = policyFromBody(req.body, existing.id, store);
      store.data.policies = store.data.policies.map((p) => (p.id === policy.id ? policy : p));
      store.changed();
      return { status: 200, body: store.policyView(policy) };
    }, admin))
    .on("DELETE", "/policies/:id", authed((req) => {
      deletePolicy(store, req.params.id, false);
      return { status: 204 };
    }, admin))
    .on("GET", "/policies/:id/status", authed((req) => {
      const policy = requirePolicy(store, req.params.id);
      return { status: 200, body: complianceEntries(policy, store) };
    }, admin))
    .on("PATCH", "/policies/:id/orgs/:org", authed((req) => {
      assignPolicy(store, req.params.id, req.params.org);
      return { status: 202 };
    }, admin));
}

/**
 * GET /policies/{id}/status: "the compliance status of a specific policy", a "List of statuses for each
 * destination organization", each with "The number of configured replications"
 * (docs/api-notes/vcda.md#assigning-a-policy-to-an-organization). Assumption: the API lists destination
 * organizations, so an organization assigned to the policy appears only while it is the destination of at
 * least one replication; an idle one (no incoming replications) has nothing to report and is left out. The
 * policy's `orgs` count ("The number of organizations, which have this policy assigned") still counts it.
 */
function complianceEntries(policy: Policy, store: VcdaStore) {
  const all = store.replications();
  return store.orgsOfPolicy(policy.id)
    .filter((org) => all.some((r) => r.replication.destination.org === org))
    .map((org) => orgStatus(policy, org, all));
}

/** Compliance of one organization's incoming replications with its policy. */
function orgStatus(policy: Policy, org: string, all: ReplicationRecord[]) {
  const incoming = all.map((r) => r.replication).filter((r) => r.destination.org === org);
  const protections = incoming.filter((r) => !r.isMigration).length;
  const migrations = incoming.length - protections;
  const incomingAllowed = policy.allowIncomingProtections || policy.allowIncomingMigrations;
  return {
    org,
    configuredReplications: incoming.length,
    quotaViolation: incomingAllowed && policy.maxIncoming >= 0 ? Math.max(0, incoming.length - policy.maxIncoming) : 0,
    protectionViolation: policy.allowIncomingProtections ? 0 : protections,
    migrationViolation: policy.allowIncomingMigrations ? 0 : migrations,
    nonRpoCompliant: incoming.filter((r) => r.settings.rpo < policy.minRpo).map((r) => r.id),
    nonInstancesCompliant: incoming.filter((r) => instanceCount(r.settings.retentionPolicy) > policy.maxInstances).map((r) => r.id),
  };
}

export function instanceCount(retention: { rules: Array<{ numberOfInstances: number }> }): number {
  return retention.rules.reduce((sum, rule) => sum + rule.numberOfInstances, 0);
}
