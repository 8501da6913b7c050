import * as assert from "node:assert";
import { handlerFor } from "../../provider";
import { zertoConnection } from "../../provider/connection";
import type { ResourceHandler } from "../../provider/types";
import { createZertoClient } from "../../provider/zerto/client";
import { createVpgHandler } from "../../provider/zerto/vpg";
import { policyArgs, replicationArgs, vcdaVmId, vpgArgs, zvmVmId } from "../../harness/fixtures";
import { recordFigures } from "../../harness/figures";
import { allowReplication, connectionEnv, CREDENTIALS, Sims, startSims } from "../../harness/sims";
import { QUICK_ZERTO_POLLS } from "../fixtures/zertoClient";

/**
 * The fault matrix: every resource × operation × fault, through the provider handlers against the
 * simulators on 127.0.0.1. Each case checks what a user relies on after a failure: a clear error or
 * success, no leaked draft, no duplicate, nothing missing from state, and a second run converging.
 */
type Op = "create" | "update" | "delete" | "read";
type FaultName = "added latency" | "503 burst with Retry-After" | "HTTP 500" | "dropped connection after the server acted"
  | "session expiry" | "failing task" | "task stuck past the timeout" | "slow listing after commit" | "draft-expiry clock jump";

const OPS: Op[] = ["create", "update", "delete", "read"];
const TASK_TIMEOUT_SECONDS = 2;
const TASK_COMPLETES_ON_ITS_OWN_MS = 800;

interface KeyRequest {
  method: string;
  /** Regular expression over the request path, as the simulators' fault rules take it. */
  path: string;
}

interface Subject {
  label: string;
  token: string;
  product: "zvm" | "vcda";
  /** The resource's endpoints (latency and 503 faults hit every one of them). */
  paths: string;
  /** The request a 500 or a dropped connection hits, per operation. */
  key: Record<Op, KeyRequest>;
  /** Operations that run as product tasks. */
  taskOps: Op[];
  /** Operations that go through a ZVM draft and commit. */
  draftOps: Op[];
  listingOps: Op[];
  /** An error must name the resource (or its endpoint) so a user knows what failed. */
  mentions: RegExp;
  prepare?(handler: (token: string) => ResourceHandler, sims: Sims): Promise<Record<string, unknown>>;
  inputs(context: Record<string, unknown>): Record<string, unknown>;
  changed(inputs: Record<string, unknown>, context: Record<string, unknown>): Record<string, unknown>;
  /** Objects on the server that match these inputs (read through the admin API, not the product API). */
  count(sims: Sims, inputs: Record<string, any>): Promise<number>;
}

const zvmState = (sims: Sims) => sims.zvmAdmin.call<Array<{ VpgName: string }>>("GET", "/_admin/zvm/vpgs");
const vcdaState = (sims: Sims) => sims.vcdaAdmin.call<any>("GET", "/_admin/vcda/state");

const SUBJECTS: Subject[] = [
  {
    label: "Vpg",
    token: "drprotect:zerto:Vpg",
    product: "zvm",
    paths: "^/v1/(vpgs|vpgSettings|tasks)",
    key: {
      create: { method: "POST", path: "^/v1/vpgSettings/[^/]+/commit$" },
      update: { method: "POST", path: "^/v1/vpgSettings/[^/]+/commit$" },
      delete: { method: "DELETE", path: "^/v1/vpgs/[^/]+$" },
      // reading goes through an edit draft: losing the answer to its creation must not leak it
      read: { method: "POST", path: "^/v1/vpgSettings$" },
    },
    taskOps: ["create", "update", "delete"],
    draftOps: ["create", "update", "read"],
    listingOps: ["create", "update"],
    mentions: /vpg/i,
    inputs: () => vpgArgs("rel-web", [zvmVmId(0), zvmVmId(1)]),
    changed: (inputs) => ({ ...inputs, rpoSeconds: 600 }),
    count: async (sims, inputs) => (await zvmState(sims)).filter((v) => v.VpgName === inputs.name).length,
  },
  {
    label: "ReplicationPolicy",
    token: "drprotect:vcda:ReplicationPolicy",
    product: "vcda",
    paths: "^/policies",
    key: {
      create: { method: "POST", path: "^/policies$" },
      update: { method: "PUT", path: "^/policies/[^/]+$" },
      delete: { method: "DELETE", path: "^/policies/[^/]+$" },
      read: { method: "GET", path: "^/policies/[^/]+$" },
    },
    taskOps: [],
    draftOps: [],
    listingOps: [],
    mentions: /polic/i,
    inputs: () => policyArgs("rel-gold"),
    changed: (inputs) => ({ ...inputs, minRpo: 30 }),
    count: async (sims, inputs) => (await vcdaState(sims)).policies.filter((p: any) => p.displayName === inputs.displayName).length,
  },
  {
    label: "OrgPolicyAssignment",
    token: "drprotect:vcda:OrgPolicyAssignment",
    product: "vcda",
    paths: "^/policies",
    key: {
      create: { method: "PATCH", path: "^/policies/[^/]+/orgs/" },
      update: { method: "PATCH", path: "^/policies/[^/]+/orgs/" },
      delete: { method: "PATCH", path: "^/policies/[^/]+/orgs/" },
      read: { method: "GET", path: "^/policies$" },
    },
    taskOps: [],
    draftOps: [],
    listingOps: [],
    mentions: /polic|org/i,
    async prepare(handler) {
      const policy = handler("drprotect:vcda:ReplicationPolicy");
      const create = async (name: string) => (await policy.create((await policy.check({}, policyArgs(name))).inputs)).id;
      return { first: await create("rel-gold"), second: await create("rel-silver") };
    },
    inputs: (context) => ({ org: "org-globex", policyId: context.first }),
    changed: (inputs, context) => ({ ...inputs, policyId: context.second }),
    count: async (sims, inputs) => ((await vcdaState(sims)).orgPolicies[inputs.org] === inputs.policyId ? 1 : 0),
  },
  {
    label: "VmReplication",
    token: "drprotect:vcda:VmReplication",
    product: "vcda",
    paths: "^/(vm-replications|tasks)",
    key: {
      create: { method: "POST", path: "^/vm-replications$" },
      update: { method: "PATCH", path: "^/vm-replications/[^/]+$" },
      delete: { method: "DELETE", path: "^/vm-replications/[^/]+$" },
      read: { method: "GET", path: "^/vm-replications/[^/]+$" },
    },
    taskOps: ["create", "update", "delete"],
    draftOps: [],
    listingOps: [],
    // the replication, or the VM it replicates (its identity to a user)
    mentions: /replication|acme-web-01/i,
    async prepare(_handler, sims) {
      await allowReplication(sims);
      return {};
    },
    inputs: () => replicationArgs(vcdaVmId(0)),
    changed: (inputs) => ({ ...inputs, rpo: 30, description: "reliability test, changed" }),
    count: async (sims, inputs) =>
      Object.values<any>((await vcdaState(sims)).replications).filter((r) => r.replication.vmId === inputs.source.vmId).length,
  },
];

const FAULTS: FaultName[] = ["added latency", "503 burst with Retry-After", "HTTP 500", "dropped connection after the server acted",
  "session expiry", "failing task", "task stuck past the timeout", "slow listing after commit", "draft-expiry clock jump"];

function applies(subject: Subject, op: Op, fault: FaultName): boolean {
  switch (fault) {
    case "failing task":
    case "task stuck past the timeout":
      return subject.taskOps.includes(op);
    case "slow listing after commit":
      return subject.listingOps.includes(op);
    case "draft-expiry clock jump":
      return subject.draftOps.includes(op);
    default:
      return true;
  }
}

/** Arms a fault; returns how to stop it (for faults that act while the operation runs). */
async function arm(sims: Sims, subject: Subject, op: Op, fault: FaultName): Promise<() => Promise<void>> {
  const admin = subject.product === "zvm" ? sims.zvmAdmin : sims.vcdaAdmin;
  const key = subject.key[op];
  const none = async () => undefined;
  switch (fault) {
    case "added latency":
      await admin.addFault({ kind: "latency", path: subject.paths, delayMs: 150 });
      return none;
    case "503 burst with Retry-After":
      await admin.addFault({ kind: "status", status: 503, retryAfterSeconds: 0, path: subject.paths, times: 3 });
      return none;
    case "HTTP 500":
      await admin.addFault({ kind: "status", status: 500, method: key.method, path: key.path, times: 1 });
      return none;
    case "dropped connection after the server acted":
      await admin.addFault({ kind: "drop", method: key.method, path: key.path, times: 1 });
      return none;
    case "session expiry":
      await admin.call("POST", `/_admin/${subject.product}/expire-sessions`);
      return none;
    case "failing task":
      await admin.call("POST", `/_admin/${subject.product}/task-faults`, subject.product === "zvm"
        ? { mode: "fail", reason: "Injected: the recovery host ran out of resources.", times: 1 }
        : { mode: "fail", code: "InjectedFailure", msg: "Injected: the replication engine refused the operation.", times: 1 });
      return none;
    case "task stuck past the timeout":
      await admin.call("POST", `/_admin/${subject.product}/task-faults`, { mode: "stuck", times: 1 });
      return none;
    case "slow listing after commit":
      await admin.call("POST", "/_admin/zvm/listing-lag", { ms: 1500 });
      return none;
    case "draft-expiry clock jump": {
      // hold the draft's later requests back, and jump the clock past the idle expiry while it is open
      await admin.addFault({ kind: "latency", path: "^/v1/vpgSettings/[^/]+(/commit)?$", delayMs: 200, times: 1 });
      const since = sims.zvm.journal.lastSeq();
      let stopped = false;
      const watcher = (async () => {
        while (!stopped) {
          if (sims.zvm.journal.list(since).some((e) => e.method === "POST" && /^\/v1\/vpgSettings$/i.test(e.path) && e.status < 300)) {
            await admin.advanceClock(2 * 3600);
            return;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      return async () => {
        stopped = true;
        await watcher;
      };
    }
  }
}

/**
 * Waits until the ZVM runs no task (asked through its task list, as an operator would), at most as long
 * as an accepted task takes to finish on its own: a stuck task runs on, and the case then judges it.
 */
async function zvmTasksSettled(sims: Sims): Promise<void> {
  const deadline = Date.now() + TASK_COMPLETES_ON_ITS_OWN_MS + 100;
  const login = await fetch(`${sims.zvm.url}/v1/session/add`, {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${CREDENTIALS.zvmUser}:${CREDENTIALS.zvmPassword}`).toString("base64")}`, "Content-Type": "application/json" },
    body: JSON.stringify({ AuthenticationMethod: "1" }),
  });
  assert.ok(login.ok, `ZVM login answered ${login.status}`);
  const headers = { "x-zerto-session": login.headers.get("x-zerto-session") ?? "" };
  for (;;) {
    const tasks = await (await fetch(`${sims.zvm.url}/v1/tasks?status=InProgress`, { headers })).json() as unknown[];
    if (tasks.length === 0 || Date.now() >= deadline) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function disarm(sims: Sims): Promise<void> {
  await Promise.all([
    sims.zvmAdmin.clearFaults(), sims.vcdaAdmin.clearFaults(),
    sims.zvmAdmin.call("DELETE", "/_admin/zvm/task-faults"), sims.vcdaAdmin.call("DELETE", "/_admin/vcda/task-faults"),
    sims.zvmAdmin.call("POST", "/_admin/zvm/listing-lag", { ms: 50 }),
  ]);
}

const SECRETS = [CREDENTIALS.zvmPassword, CREDENTIALS.vcdaAdminPassword, CREDENTIALS.vcdaTenantPassword];

interface CaseFigures {
  name: string;
  /** All assertions held: the fault was survived. */
  survived: boolean;
  outcome?: "succeeded" | "failed clearly";
  faultsFired: number;
  leakedDrafts: number;
  duplicates: number;
  missingFromState: number;
  /** Converges once the product finishes a task it keeps running (the simulator never does). */
  pendingProductTask?: boolean;
  ms: number;
}

describe("reliability: fault matrix through the provider handlers", function () {
  this.timeout(60_000);
  const cases: CaseFigures[] = [];
  const savedEnv = { ...process.env };

  after(() => {
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    const fired = cases.reduce((n, c) => n + c.faultsFired, 0);
    const leaked = cases.reduce((n, c) => n + c.leakedDrafts + c.duplicates + c.missingFromState, 0);
    recordFigures("faultMatrix", {
      casesRun: cases.length,
      faultsFired: fired,
      faultsSurvived: cases.filter((c) => c.survived).length,
      succeededDespiteFault: cases.filter((c) => c.outcome === "succeeded").length,
      failedClearlyThenConverged: cases.filter((c) => c.outcome === "failed clearly").length,
      objectsLeaked: leaked,
      notApplicable: SUBJECTS.length * OPS.length * FAULTS.length - cases.length,
      cases,
    });
  });

  for (const subject of SUBJECTS) {
    describe(subject.label, () => {
      for (const op of OPS) {
        for (const fault of FAULTS) {
          if (!applies(subject, op, fault)) continue;
          it(`${op} under ${fault}: succeeds or fails clearly, leaks nothing, and a second run converges`, async () => {
            const figures: CaseFigures = { name: `${subject.label} ${op} / ${fault}`, survived: false, faultsFired: 0, leakedDrafts: 0, duplicates: 0, missingFromState: 0, ms: 0 };
            cases.push(figures);
            const started = Date.now();
            try {
              await runCase(subject, op, fault, figures);
              figures.survived = true;
            } finally {
              figures.ms = Date.now() - started;
            }
          });
        }
      }
    });
  }
});

/**
 * The provider's handlers, the VPG's with a client that looks at ZVM tasks and listings every 20-100 ms
 * instead of from 0.5 s up: the same code, and the same task timeout (the connection's), in less time.
 * A fresh VPG handler per case, so no intent outlives its simulators.
 */
function caseHandlers(): (token: string) => ResourceHandler {
  const vpg = createVpgHandler((profile) => createZertoClient(zertoConnection(profile), QUICK_ZERTO_POLLS));
  return (token) => (token === "drprotect:zerto:Vpg" ? vpg : handlerFor(token));
}

async function runCase(subject: Subject, op: Op, fault: FaultName, figures: CaseFigures): Promise<void> {
  // tasks whose id the client never heard of still finish on their own, as on a real ZVM
  const sims = await startSims({ taskCompleteMs: TASK_COMPLETES_ON_ITS_OWN_MS });
  try {
    Object.assign(process.env, connectionEnv(sims), {
      ZERTO_TASK_TIMEOUT_SECONDS: String(TASK_TIMEOUT_SECONDS),
      VCDA_TASK_TIMEOUT_SECONDS: String(TASK_TIMEOUT_SECONDS),
    });
    const handlers = caseHandlers();
    const handler = handlers(subject.token);
    const checked = async (raw: Record<string, unknown>) => {
      const { inputs, failures } = await handler.check({}, raw);
      assert.deepStrictEqual(failures ?? [], [], "the case's own inputs must be valid");
      return inputs as Record<string, any>;
    };
    const context = (await subject.prepare?.(handlers, sims)) ?? {};
    const inputs = await checked(subject.inputs(context));
    const desired = op === "update" ? await checked(subject.changed(inputs, context)) : inputs;

    let id: string | undefined;
    let outs: Record<string, any> | undefined;
    if (op === "create") {
      // log in first, so that a session expiry has a session to expire
      await handler.read("00000000-0000-4000-8000-000000000000", { ...inputs }).catch(() => undefined);
    } else {
      ({ id, outs } = await handler.create(inputs));
    }

    const firedBefore = sims.zvm.faults.fired.length + sims.vcda.faults.fired.length;
    const stop = await arm(sims, subject, op, fault);
    let error: (Error & { id?: string; properties?: Record<string, any> }) | undefined;
    try {
      if (op === "create") ({ id, outs } = await handler.create(inputs));
      else if (op === "update") ({ outs } = await handler.update(id!, outs!, desired));
      else if (op === "delete") await handler.delete(id!, outs!);
      else {
        const result = await handler.read(id!, outs!);
        assert.strictEqual(result.id, id, "read must still find the object");
      }
    } catch (err) {
      error = err as Error;
    } finally {
      await stop();
    }
    const armedProductFault = !["added latency", "503 burst with Retry-After", "HTTP 500", "dropped connection after the server acted"].includes(fault);
    figures.faultsFired = sims.zvm.faults.fired.length + sims.vcda.faults.fired.length - firedBefore + (armedProductFault ? 1 : 0);
    figures.outcome = error ? "failed clearly" : "succeeded";
    await disarm(sims);
    // let tasks the server accepted run to their end, so "does it exist?" has its final answer
    if (subject.product === "zvm") await zvmTasksSettled(sims);

    const drafts = (await sims.zvmAdmin.call<{ count: number }>("GET", "/_admin/zvm/drafts")).count;
    const expected = op === "update" ? desired : inputs;
    const live = await subject.count(sims, expected);
    figures.leakedDrafts = drafts;
    figures.duplicates = Math.max(0, live - 1);
    if (op === "create" && error && !error.id) figures.missingFromState = live;
    if (error) {
      assert.ok(error.message && !/^\s*at /.test(error.message), `an error without a message: ${error.stack}`);
      assert.match(error.message, subject.mentions, `the error does not say what failed: ${error.message}`);
      for (const secret of SECRETS) assert.ok(!error.message.includes(secret), "the error shows a credential");
    }
    assert.strictEqual(drafts, 0, `${drafts} vpgSettings draft(s) left behind`);
    assert.ok(live <= 1, `${live} objects match one resource: an unknown outcome was re-sent instead of reconciled`);
    if (op === "create" && error) {
      if (error.id) {
        // the engine records a partial create; its next run updates that object
        id = error.id;
        outs = error.properties ?? { ...inputs };
      } else {
        assert.strictEqual(live, 0, `create failed without an id, yet the object exists: it would be orphaned (${error.message})`);
      }
    }

    // the second run, as `pulumi up` would do it, with the faults gone
    if (error) {
      if (op === "create" && !error.id) ({ id, outs } = await handler.create(inputs));
      else if (op === "create" && fault === "task stuck past the timeout") {
        // A create task that never ends leaves the object pending in state (never orphaned): the next run
        // waits for that task again and, while it still runs, keeps it pending. The message must say so.
        const again = await handler.update(id!, outs!, expected).then(() => undefined, (err: Error & { id?: string }) => err);
        assert.ok(again, "the next run cannot finish while the create's task still runs");
        if (subject.product === "zvm") assert.ok(again.id === id, "the create stays recorded as pending while its task runs");
        assert.match(again.message, /still creating VPG|was still (QUEUED|RUNNING)/);
        figures.pendingProductTask = true;
        return;
      } else if (op === "create" || op === "update") ({ outs } = await handler.update(id!, outs!, expected));
      else if (op === "delete") {
        try {
          await handler.delete(id!, outs!);
        } catch (err) {
          // The simulator never finishes a stuck task, so a VPG whose removal hangs stays "being deleted" for good;
          // the resource stays in state and the next run, once the ZVM finishes, deletes it. The message must say so.
          if (!(subject.product === "zvm" && fault === "task stuck past the timeout")) throw err;
          assert.match((err as Error).message, /vpg.*(being deleted|still running|timed out)/i);
          figures.pendingProductTask = true;
          return;
        }
      } else assert.strictEqual((await handler.read(id!, outs!)).id, id);
    }
    if (op === "delete") {
      assert.strictEqual(await subject.count(sims, expected), 0, "the object outlived its delete");
    } else {
      const again = await handler.read(id!, outs!);
      assert.strictEqual(again.id, id, "the object is gone after the second run");
      const diff = await handler.diff(id!, again.props, expected);
      assert.ok(!diff.changes, `the second run did not converge: diff reports changes ${JSON.stringify(diff)}`);
      assert.strictEqual(await subject.count(sims, expected), 1, "exactly one object after the second run");
    }
    const draftsAfter = (await sims.zvmAdmin.call<{ count: number }>("GET", "/_admin/zvm/drafts")).count;
    figures.leakedDrafts += draftsAfter;
    assert.strictEqual(draftsAfter, 0, "a draft leaked on the second run");
  } finally {
    await sims.close();
  }
}
