/**
 * Which DR objects the stacks of the current Pulumi backend already manage, so that `generate`
 * does not declare one a second time: a second stack adopting a VPG or replication would then
 * change and delete it as well. Read with the Pulumi CLI the user runs (`pulumi stack ls --all`,
 * `pulumi stack export` of each stack): whatever backend it is logged in to, read-only.
 */
import { execFile } from "node:child_process";
import { shortType } from "./changes";

/** Object id (VPG id, replication id, policy id, or `org:<name>` for an assignment) → the stack and resource that manage it. */
export type ManagedObjects = Map<string, string>;

/** The ids each resource type of the provider records in its outputs. */
const ID_OUTPUTS: Record<string, string[]> = {
  "zerto:Vpg": ["vpgId"],
  "vcda:VmReplication": ["replicationId"],
  "vcda:VappReplication": ["replicationId"],
  "vcda:ReplicationPolicy": ["policyId"],
};

/** The key an OrgPolicyAssignment of `org` is recorded under. */
export const assignmentKey = (org: string) => `org:${org.toLowerCase()}`;

interface ExportedResource {
  urn?: string;
  type?: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

/** The managed objects of one exported stack (`pulumi stack export` output). */
export function managedIn(stack: string, exported: { deployment?: { resources?: ExportedResource[] } }, into: ManagedObjects = new Map()): ManagedObjects {
  for (const resource of exported.deployment?.resources ?? []) {
    const type = shortType(resource.type);
    const where = `stack '${stack}' (${type} '${resource.urn?.split("::").pop() ?? resource.id}')`;
    for (const key of ID_OUTPUTS[type] ?? []) {
      const id = resource.outputs?.[key];
      if (typeof id === "string" && id) into.set(id.toLowerCase(), where);
    }
    const org = resource.outputs?.org;
    if (type === "vcda:OrgPolicyAssignment" && typeof org === "string") into.set(assignmentKey(org), where);
  }
  return into;
}

export type PulumiRunner = (args: string[]) => Promise<string>;

const runPulumi: PulumiRunner = (args) => new Promise((resolve, reject) => {
  execFile("pulumi", [...args, "--non-interactive"], { maxBuffer: 512 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
    if (err) reject(new Error(`\`pulumi ${args.join(" ")}\` failed: ${(stderr || err.message).trim().split("\n").slice(-3).join(" ")}`));
    else resolve(stdout);
  });
});

/**
 * Every object recorded in any stack of the backend the Pulumi CLI is logged in to. A backend that
 * cannot be read fails the generation: adopting an object into a second stack must be a choice.
 */
export async function readManagedObjects(run: PulumiRunner = runPulumi): Promise<ManagedObjects> {
  const managed: ManagedObjects = new Map();
  let stacks: Array<{ name: string }>;
  try {
    stacks = JSON.parse(await run(["stack", "ls", "--all", "--json"]));
  } catch (err) {
    throw new Error(`cannot list the stacks of the current Pulumi backend, to leave out the objects they already manage (${(err as Error).message}). `
      + "Run it where `pulumi stack ls --all` works (pulumi login, PULUMI_BACKEND_URL), or add --include-managed to declare every object found");
  }
  for (const { name } of stacks) {
    try {
      managedIn(name, JSON.parse(await run(["stack", "export", "--stack", name])), managed);
    } catch (err) {
      throw new Error(`cannot read stack '${name}' of the current Pulumi backend (${(err as Error).message}); add --include-managed to declare every object found`);
    }
  }
  return managed;
}
