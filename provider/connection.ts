import type { ConfigSource } from "./types";

/**
 * Connection settings, read inside the provider process from stack config (handed to `configure`)
 * or the environment. They never pass through resource inputs, so no credential reaches state.
 * Precedence: the profile named by a resource > stack config > environment.
 */
export interface ZertoConnection {
  url: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  authMode: "auto" | "session" | "keycloak";
  insecure: boolean;
  caCertificate?: string;
  /** How long one ZVM task may run before the provider stops waiting for it. */
  taskTimeoutSeconds?: number;
}

export interface VcdaConnection {
  url: string;
  authType: "localUser" | "ssoCredentials" | "vcdCredentials" | "vcdAccessToken";
  username?: string;
  password?: string;
  token?: string;
  insecure: boolean;
  caCertificate?: string;
  /** How long one VCDA task may run before the provider stops waiting for it. */
  taskTimeoutSeconds?: number;
}

export const DEFAULT_TASK_TIMEOUT_SECONDS = 30 * 60;
/** A week: longer than any initial sync worth waiting for in one `pulumi up`. */
const MAX_TASK_TIMEOUT_SECONDS = 7 * 24 * 3600;

let stackConfig: Record<string, string | undefined> = {};

const KEYS = ["url", "username", "password", "clientId", "clientSecret", "authMode", "insecure", "caCertificate", "profiles", "authType", "token",
  "taskTimeoutSeconds"];

/** Called once per provider process with the stack's config (secrets already decrypted). */
export function configure(config: ConfigSource): void {
  stackConfig = {};
  for (const product of ["zerto", "vcda"]) {
    for (const key of KEYS) {
      const value = config.get(`${product}:${key}`);
      if (value !== undefined && value !== "") stackConfig[`${product}:${key}`] = value;
    }
  }
  const preflight = config.get(PREFLIGHT_KEY);
  if (preflight !== undefined && preflight !== "") stackConfig[PREFLIGHT_KEY] = preflight;
}

const PREFLIGHT_KEY = "drprotect:preflight";

/** The live-preflight switch: stack config drprotect:preflight, else DRPROTECT_PREFLIGHT. */
export function preflightSetting(): string | undefined {
  return stackConfig[PREFLIGHT_KEY] ?? (process.env.DRPROTECT_PREFLIGHT || undefined);
}

const ENV: Record<string, Record<string, string>> = {
  zerto: { url: "ZERTO_URL", username: "ZERTO_USERNAME", password: "ZERTO_PASSWORD", clientId: "ZERTO_CLIENT_ID",
    clientSecret: "ZERTO_CLIENT_SECRET", authMode: "ZERTO_AUTH_MODE", insecure: "ZERTO_INSECURE", caCertificate: "ZERTO_CA_CERT",
    profiles: "ZERTO_PROFILES", taskTimeoutSeconds: "ZERTO_TASK_TIMEOUT_SECONDS" },
  vcda: { url: "VCDA_URL", authType: "VCDA_AUTH_TYPE", username: "VCDA_USERNAME", password: "VCDA_PASSWORD", token: "VCDA_TOKEN",
    insecure: "VCDA_INSECURE", caCertificate: "VCDA_CA_CERT", profiles: "VCDA_PROFILES", taskTimeoutSeconds: "VCDA_TASK_TIMEOUT_SECONDS" },
};

function setting(product: "zerto" | "vcda", key: string): string | undefined {
  const fromConfig = stackConfig[`${product}:${key}`];
  if (fromConfig !== undefined) return fromConfig;
  const env = ENV[product][key];
  const value = env ? process.env[env] : undefined;
  return value === "" ? undefined : value;
}

function profileSettings(product: "zerto" | "vcda", profile: string | undefined): Record<string, unknown> | undefined {
  if (!profile) return undefined;
  const raw = setting(product, "profiles");
  let profiles: Record<string, Record<string, unknown>> = {};
  if (raw) {
    try {
      profiles = JSON.parse(raw);
    } catch {
      throw new Error(`${product}:profiles must be a JSON object of named connections`);
    }
  }
  // own entries only: a name such as "constructor" must not reach Object.prototype
  const found = profiles && typeof profiles === "object" && Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (!found || typeof found !== "object") {
    const known = Object.keys(profiles);
    throw new Error(`${product} profile '${profile}' is not configured (known: ${known.length ? known.join(", ") : "none"}); `
      + `set it with: pulumi config set --path ${product}:profiles.${profile}.url <url> (and --secret for credentials)`);
  }
  return found;
}

function pick(profile: Record<string, unknown> | undefined, product: "zerto" | "vcda", key: string): string | undefined {
  if (profile) {
    const value = profile[key];
    return value === undefined || value === null || value === "" ? undefined : String(value);
  }
  return setting(product, key);
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes)$/i.test(value);

/**
 * `<product>:taskTimeoutSeconds` from the profile, else stack config, else the environment
 * variable, else 30 minutes: a whole number of seconds, refused with the key named otherwise.
 */
function taskTimeoutSeconds(profile: Record<string, unknown> | undefined, product: "zerto" | "vcda"): number {
  const raw = (profile ? pick(profile, product, "taskTimeoutSeconds") : undefined) ?? setting(product, "taskTimeoutSeconds");
  if (raw === undefined) return DEFAULT_TASK_TIMEOUT_SECONDS;
  const seconds = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || seconds < 1 || seconds > MAX_TASK_TIMEOUT_SECONDS) {
    throw new Error(`${product}:taskTimeoutSeconds (or ${ENV[product].taskTimeoutSeconds}) must be a whole number of seconds from 1 to `
      + `${MAX_TASK_TIMEOUT_SECONDS}, not '${raw.slice(0, 40)}'`);
  }
  return seconds;
}

export function zertoConnection(profile?: string): ZertoConnection {
  const p = profileSettings("zerto", profile);
  const url = pick(p, "zerto", "url");
  if (!url) {
    throw new Error(profile
      ? `zerto profile '${profile}' has no url`
      : "the Zerto connection is not configured: set zerto:url (pulumi config set zerto:url https://zvm.example.com) or ZERTO_URL");
  }
  const authMode = (pick(p, "zerto", "authMode") ?? "auto") as ZertoConnection["authMode"];
  if (!["auto", "session", "keycloak"].includes(authMode)) throw new Error(`zerto:authMode must be auto, session or keycloak, not '${authMode}'`);
  return {
    url,
    username: pick(p, "zerto", "username"),
    password: pick(p, "zerto", "password"),
    clientId: pick(p, "zerto", "clientId"),
    clientSecret: pick(p, "zerto", "clientSecret"),
    authMode,
    insecure: truthy(pick(p, "zerto", "insecure")),
    caCertificate: pick(p, "zerto", "caCertificate"),
    taskTimeoutSeconds: taskTimeoutSeconds(p, "zerto"),
  };
}

export function vcdaConnection(profile?: string): VcdaConnection {
  const p = profileSettings("vcda", profile);
  const url = pick(p, "vcda", "url");
  if (!url) {
    throw new Error(profile
      ? `vcda profile '${profile}' has no url`
      : "the VCDA connection is not configured: set vcda:url (pulumi config set vcda:url https://vcda.example.com) or VCDA_URL");
  }
  const authType = (pick(p, "vcda", "authType") ?? "vcdCredentials") as VcdaConnection["authType"];
  if (!["localUser", "ssoCredentials", "vcdCredentials", "vcdAccessToken"].includes(authType)) {
    throw new Error(`vcda:authType must be localUser, ssoCredentials, vcdCredentials or vcdAccessToken, not '${authType}'`);
  }
  return {
    url,
    authType,
    username: pick(p, "vcda", "username"),
    password: pick(p, "vcda", "password"),
    token: pick(p, "vcda", "token"),
    insecure: truthy(pick(p, "vcda", "insecure")),
    caCertificate: pick(p, "vcda", "caCertificate"),
    taskTimeoutSeconds: taskTimeoutSeconds(p, "vcda"),
  };
}
