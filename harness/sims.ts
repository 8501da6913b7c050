import * as net from "node:net";
import { startVcdaSimulator, VcdaSimulatorOptions } from "../simulator/vcda";
import { startZvmSimulator, ZvmSimulatorOptions } from "../simulator/zvm";
import { SimAdmin } from "./admin";

/** Credentials the simulators accept by default (test fixtures, not real secrets). */
export const CREDENTIALS = {
  zvmUser: "admin",
  zvmPassword: "zerto-sim-password",
  zvmClientId: "drprotect",
  zvmClientSecret: "zerto-sim-client-secret",
  vcdaAdmin: "root@System",
  vcdaAdminPassword: "vcda-sim-vcd-password",
  vcdaTenant: "admin@org-acme",
  vcdaTenantPassword: "vcda-sim-tenant-password",
};

/** Both simulators in this process on 127.0.0.1, tuned for fast tests (few task polls, short lag). */
export async function startSims(zvmOptions: ZvmSimulatorOptions = {}, vcdaOptions: VcdaSimulatorOptions = {}) {
  const zvm = await startZvmSimulator({ taskPolls: 1, listingLagMs: 50, initializingMs: 50, seed: 7, ...zvmOptions });
  const vcda = await startVcdaSimulator({ taskPolls: 1, seed: 7, ...vcdaOptions });
  return {
    zvm,
    vcda,
    zvmAdmin: new SimAdmin(zvm.url),
    vcdaAdmin: new SimAdmin(vcda.url),
    async close() {
      await Promise.all([zvm.close(), vcda.close()]);
    },
  };
}

export type Sims = Awaited<ReturnType<typeof startSims>>;

/** Connection settings as the provider reads them from the environment (stack config works the same way). */
export function connectionEnv(sims: Sims): Record<string, string> {
  return {
    ZERTO_URL: sims.zvm.url,
    ZERTO_AUTH_MODE: "session",
    ZERTO_USERNAME: CREDENTIALS.zvmUser,
    ZERTO_PASSWORD: CREDENTIALS.zvmPassword,
    VCDA_URL: sims.vcda.url,
    VCDA_AUTH_TYPE: "vcdCredentials",
    VCDA_USERNAME: CREDENTIALS.vcdaAdmin,
    VCDA_PASSWORD: CREDENTIALS.vcdaAdminPassword,
    // replications are a tenant's: resources select this connection with profile "tenant"
    VCDA_PROFILES: JSON.stringify({
      tenant: { url: sims.vcda.url, authType: "vcdCredentials", username: CREDENTIALS.vcdaTenant, password: CREDENTIALS.vcdaTenantPassword },
    }),
  };
}

/**
 * The same connections as stack config: plain values and secrets (set with --secret). The tenant
 * profile is included unless `tenantProfile` is false.
 */
export function stackConnection(zvmUrl: string, vcdaUrl: string, tenantProfile = true): { config: Record<string, string>; secrets: Record<string, string> } {
  const config: Record<string, string> = {
    "zerto:url": zvmUrl, "zerto:authMode": "session", "zerto:username": CREDENTIALS.zvmUser,
    "vcda:url": vcdaUrl, "vcda:authType": "vcdCredentials", "vcda:username": CREDENTIALS.vcdaAdmin,
  };
  const secrets: Record<string, string> = { "zerto:password": CREDENTIALS.zvmPassword, "vcda:password": CREDENTIALS.vcdaAdminPassword };
  if (tenantProfile) {
    Object.assign(config, { "vcda:profiles.tenant.url": vcdaUrl, "vcda:profiles.tenant.authType": "vcdCredentials", "vcda:profiles.tenant.username": CREDENTIALS.vcdaTenant });
    secrets["vcda:profiles.tenant.password"] = CREDENTIALS.vcdaTenantPassword;
  }
  return { config, secrets };
}

const OPEN_POLICY_ID = "0a11c0de-0000-4000-8000-000000000001";

/**
 * The bundled default policy forbids outgoing protections: give the tenant orgs a policy that
 * allows replication (out of band, as a provider administrator would have done it beforehand).
 */
export async function allowReplication(sims: Sims, orgs = ["org-acme"]): Promise<void> {
  await sims.vcdaAdmin.call("PUT", `/_admin/vcda/policies/${OPEN_POLICY_ID}`, {
    displayName: "reliability-open", minRpo: 1, maxInstances: 1000, maxPinnedInstances: 0, maxIncoming: -1,
    allowIncomingProtections: true, allowOutgoingProtections: true, allowIncomingMigrations: true, allowOutgoingMigrations: true,
  });
  for (const org of orgs) await sims.vcdaAdmin.call("PUT", `/_admin/vcda/orgs/${org}/policy`, { policyId: OPEN_POLICY_ID });
}

/** Opens VCDA's shipped default policy, which allows no protections (preflight would rightly refuse them), with `settings` besides. */
export async function openDefaultPolicy(vcdaUrl: string, settings: Record<string, unknown> = {}): Promise<void> {
  await new SimAdmin(vcdaUrl).call("PUT", "/_admin/vcda/policies/default", { allowIncomingProtections: true, allowOutgoingProtections: true, ...settings });
}

/** A port free on 127.0.0.1 now (a simulator's test VM serves on it later). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
