import { Router, SimClock } from "../common";
import { badRequest } from "./api";
import type { SessionManager } from "./auth";
import { assignPolicy, deletePolicy, policyFromBody, requirePolicy } from "./policies";
import { replicationNotFound, runOperation } from "./replications";
import type { ReplicationRecord, VcdaStore } from "./state";

/** Settings an out-of-band edit may change with a flat body (`{rpo: 30}`), besides deep-merging any VmReplication part. */
const SETTINGS_SHORTHAND = ["description", "rpo", "dataConnectionType", "quiesced", "retentionPolicy", "initialSyncTime", "excludedDiskKeys"];

/**
 * Out-of-band changes under /_admin/vcda: what another administrator, the VCDA UI or a disaster does
 * behind the client's back (drift, expired sessions, failing tasks), plus a full state dump and a reset.
 */
export function adminRoutes(router: Router, store: VcdaStore, sessions: SessionManager, clock: SimClock): void {
  const replication = (id: string): ReplicationRecord => store.data.replications[id] ?? replicationNotFound(id);
  const done = (body?: unknown) => {
    store.changed();
    return { status: body === undefined ? 204 : 200, body };
  };
  router
    .on("GET", "/_admin/vcda/state", () => ({
      status: 200,
      body: {
        localSite: store.inventory.localSite,
        remoteSite: store.inventory.remoteSite,
        inventory: store.inventory,
        policies: store.data.policies.map((p) => store.policyView(p)),
        orgPolicies: Object.fromEntries(store.inventory.orgs.map((o) => [o.name, store.policyOfOrg(o.name).id])),
        replications: store.data.replications,
        tasks: store.data.tasks,
        taskFaults: store.taskFaults,
      },
    }))
    .on("POST", "/_admin/vcda/reset", () => {
      store.reset();
      return done();
    })
    .on("PATCH", "/_admin/vcda/replications/:id", (req) => {
      const record = replication(req.params.id);
      const body = req.body ?? {};
      const settings = Object.fromEntries(Object.entries(body).filter(([key]) => SETTINGS_SHORTHAND.includes(key)));
      const rest = Object.fromEntries(Object.entries(body).filter(([key]) => !SETTINGS_SHORTHAND.includes(key)));
      record.replication = deepMerge(record.replication, { ...rest, settings: { ...(rest.settings ?? {}), ...settings } });
      record.replication.lastUpdated = clock.now();
      return done(record.replication);
    })
    .on("DELETE", "/_admin/vcda/replications/:id", (req) => {
      replication(req.params.id);
      delete store.data.replications[req.params.id];
      return done();
    })
    .on("POST", "/_admin/vcda/replications/:id/failover", (req) => {
      const record = replication(req.params.id);
      runOperation(record, "failover", clock.now());
      return done(record.replication);
    })
    .on("POST", "/_admin/vcda/replications/:id/migrate", (req) => {
      const record = replication(req.params.id);
      runOperation(record, "migrate", clock.now());
      return done(record.replication);
    })
    .on("PUT", "/_admin/vcda/policies/:id", (req) => {
      // Merges into the existing policy (or creates one with this id), bypassing the API's full-overwrite rule.
      const existing = store.policy(req.params.id);
      const policy = policyFromBody({ ...existing, ...req.body }, req.params.id, store);
      store.data.policies = existing ? store.data.policies.map((p) => (p.id === policy.id ? policy : p)) : [...store.data.policies, policy];
      return done(store.policyView(policy));
    })
    .on("DELETE", "/_admin/vcda/policies/:id", (req) => {
      // Like a deletion in the UI followed by a policy sync: its organizations fall back to the default policy.
      deletePolicy(store, req.params.id, true);
      return done();
    })
    .on("PUT", "/_admin/vcda/orgs/:org/policy", (req) => {
      const policyId = req.body?.policyId;
      if (typeof policyId !== "string") badRequest("InvalidPolicy", "Body must be {\"policyId\": \"<id>\"}.");
      requirePolicy(store, policyId);
      assignPolicy(store, policyId, req.params.org);
      return done({ org: req.params.org, policyId });
    })
    .on("GET", "/_admin/vcda/auth-violations", () => ({ status: 200, body: sessions.violations }))
    .on("POST", "/_admin/vcda/expire-sessions", () => {
      sessions.expireAll();
      return { status: 204 };
    })
    .on("POST", "/_admin/vcda/task-faults", (req) => {
      const { mode, code, msg, times, durationMs, type } = req.body ?? {};
      if (mode !== "fail" && mode !== "stuck" && mode !== "slow") badRequest("InvalidTaskFault", "mode must be 'fail', 'stuck' or 'slow'.");
      if (times !== undefined && (!Number.isInteger(times) || times < 1)) badRequest("InvalidTaskFault", "times must be a positive integer.");
      if (mode === "slow" && (!Number.isInteger(durationMs) || durationMs < 0)) badRequest("InvalidTaskFault", "a slow task needs durationMs, a non-negative integer.");
      store.taskFaults.push({ mode, code, msg, durationMs, type, remaining: times ?? 1 });
      return { status: 201, body: store.taskFaults };
    })
    .on("DELETE", "/_admin/vcda/task-faults", () => {
      store.taskFaults = [];
      return { status: 204 };
    });
}

function deepMerge<T>(target: T, patch: unknown): T {
  if (!isPlainObject(target) || !isPlainObject(patch)) return (patch === undefined ? target : patch) as T;
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) merged[key] = deepMerge(merged[key], value);
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
