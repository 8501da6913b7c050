/**
 * What a default (summary) refresh leaves out of a VPG, read by `pulumi-drprotect drift` itself:
 * per-VM NICs, volumes and journals and the rest only an edit draft shows. Read as a full refresh
 * reads it (provider readOutputs): an edit draft opened from the VPG, read, and deleted; never
 * committed. A few VPGs at a time, so that a large stack does not open a draft per VPG at once; the
 * VPGs and their protected VMs come from two listings read once for the whole command
 * (provider/zerto/runListings.ts), so a VPG costs only its draft's requests.
 */
import { zertoConnection } from "../provider/connection";
import { RunListings } from "../provider/http";
import type { VpgOutputs } from "../provider/inputs.generated";
import { createZertoClient, ZertoClient } from "../provider/zerto/client";
import { vpgOfRun } from "../provider/zerto/runListings";
import { readOutputs } from "../provider/zerto/vpg";
import { shortType, Step } from "./changes";
import type { SettingsRead } from "./drift";

/** Drafts open at once at most. */
const PARALLEL_READS = 4;

/**
 * The full settings of every VPG the refresh steps hold (its recorded outputs name its id and
 * profile). A VPG that cannot be read is listed with the reason; the report then says so.
 */
export async function readVpgSettings(steps: Step[]): Promise<SettingsRead> {
  const vpgs = steps.filter((s) => s.op === "refresh" && shortType(s.oldState?.type) === "zerto:Vpg" && typeof s.oldState?.outputs?.vpgId === "string");
  const outputs = new Map<string, Record<string, unknown>>();
  const failures = new Map<string, string>();
  const clients = new Map<string, ZertoClient>();
  const listings = new RunListings();
  const clientFor = (profile: string | undefined) => {
    const key = profile ?? "";
    if (!clients.has(key)) clients.set(key, createZertoClient(zertoConnection(profile), { retry: { attempts: 2 }, requestTimeoutMs: 15_000, listings }));
    return clients.get(key)!;
  };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < vpgs.length; i = next++) {
      const step = vpgs[i];
      const recorded = step.oldState!.outputs as unknown as VpgOutputs;
      try {
        const read = await readOutputs(clientFor(recorded.profile), recorded.vpgId!, recorded, "full", vpgOfRun);
        // gone: the refresh reports that itself
        if (read) outputs.set(step.urn, read as unknown as Record<string, unknown>);
      } catch (err) {
        failures.set(step.urn, `its settings could not be read (${(err as Error).message})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, vpgs.length) }, worker));
  return { outputs, failures };
}
