import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { VpgInputs } from "../inputs.generated";

/**
 * The ZVM keeps no marker on a VPG that says who asked for it, so a create killed after its commit
 * (kill -9, a lost machine) leaves nothing in the stack to tell its VPG from anyone else's. Before
 * committing, the create writes down on this machine what it is about to commit (the draft) and,
 * once answered, the commit's task: the next create of the same definition proves through that
 * task that the VPG is its own. A record lives only while a create's outcome is not in the stack.
 */

/** What makes a VPG the one a create asked for: name, VM set and sites. */
export interface VpgIdentity {
  name: string;
  vms: string[];
  protectedSiteId?: string;
  recoverySiteId: string;
}

export interface CreateIntent {
  endpoint: string;
  identity: VpgIdentity;
  /** The draft being committed. */
  draftId: string;
  /** The draft was opened and not yet sent to commit: the next run only discards it. */
  uncommitted?: boolean;
  /** The commit's task, once its answer arrived. */
  taskId?: string;
  recordedAt: string;
}

export class IntentStore {
  constructor(readonly dir: string = defaultIntentDir()) {}

  read(endpoint: string, identity: VpgIdentity): CreateIntent | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(endpoint, identity), "utf8"));
    } catch {
      return undefined;
    }
  }

  /** Written whole (temporary file, then rename), readable by this user only. */
  write(intent: CreateIntent): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(intent.endpoint, intent.identity);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(intent), { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  }

  remove(endpoint: string, identity: VpgIdentity): void {
    fs.rmSync(this.file(endpoint, identity), { force: true });
  }

  /** One record per endpoint and identity: the same definition on the same ZVM is the same intent. */
  private file(endpoint: string, identity: VpgIdentity): string {
    const key = JSON.stringify([endpoint.replace(/\/+$/, "").toLowerCase(), identityKey(identity)]);
    return path.join(this.dir, `${createHash("sha256").update(key).digest("hex").slice(0, 32)}.json`);
  }
}

export function identityOf(inputs: Pick<VpgInputs, "name" | "vms" | "protectedSiteId" | "recoverySiteId">): VpgIdentity {
  return { name: inputs.name, vms: (inputs.vms ?? []).map((vm) => vm.vmId), protectedSiteId: inputs.protectedSiteId, recoverySiteId: inputs.recoverySiteId };
}

/** Beside Pulumi's own files ($PULUMI_HOME, else ~/.pulumi), which the engine hands to the provider process. */
function defaultIntentDir(): string {
  return path.join(process.env.PULUMI_HOME || path.join(os.homedir(), ".pulumi"), "drprotect", "zerto-creates");
}

/** The identity in a canonical form: VM ids as a set, ids case-insensitive like on the ZVM. */
export function identityKey(identity: VpgIdentity): Record<string, unknown> {
  return {
    name: identity.name,
    vms: [...new Set(identity.vms.map((v) => v.toLowerCase()))].sort(),
    protectedSiteId: identity.protectedSiteId?.toLowerCase(),
    recoverySiteId: identity.recoverySiteId.toLowerCase(),
  };
}

/**
 * Whether the engine that asked for this operation is gone: kill -9 of the CLI leaves its provider
 * process running (the engine starts plugins in their own process group), and that process must
 * not take its finished create for recorded. The dynamic-provider host is started with the
 * engine's address as its first argument (@pulumi/pulumi cmd/dynamic-provider); outside that host
 * there is no engine to lose.
 */
export function engineGone(argv: string[] = process.argv): Promise<boolean> {
  const address = /dynamic-provider[\\/]index\.js$/.test(argv[1] ?? "") ? /^(.+):(\d+)$/.exec(argv[2] ?? "") : null;
  if (!address) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = net.connect({ host: address[1], port: Number(address[2]) });
    const settle = (gone: boolean) => {
      socket.destroy();
      resolve(gone);
    };
    socket.setTimeout(2_000, () => settle(false)); // no answer is not proof of absence
    socket.once("connect", () => settle(false));
    socket.once("error", () => settle(true));
  });
}
