import type { ErrorObject, ValidateFunction } from "ajv";
import { configValidators, packageSchema } from "./schema";
import type { ConfigSource } from "./types";

/**
 * Connection settings, read inside the provider process from stack config (handed to `configure`)
 * or the environment. They never pass through resource inputs, so no credential reaches state.
 * schema.json's `config` section is the source: every key, its environment variable (`env`), its
 * type, enum and default, and what a profile may hold.
 * Precedence: the profile named by a resource > stack config > environment.
 */
export interface ZertoConnection {
  url: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  authMode: "auto" | "session" | "keycloak";
  /** Which accounts a session login checks: vCenter (AuthenticationMethod 1, the default) or the ZVM host's Windows accounts. */
  loginMethod?: "vcenter" | "windows";
  insecure: boolean;
  caCertificate?: string;
  /** How long one ZVM task may run before the provider stops waiting for it. */
  taskTimeoutSeconds?: number;
  /** What a VPG refresh reads: read-only summary requests only (default), or also an edit draft. */
  refreshMode?: "summary" | "full";
  /** Requests in flight at once to the ZVM (provider/http/limiter.ts). */
  maxConcurrentRequests?: number;
  /** Where `url` came from (`zerto:url (or ZERTO_URL)`, a profile's key), for messages. */
  urlSetting?: string;
}

export interface VcdaConnection {
  url: string;
  authType: "localUser" | "ssoCredentials" | "ssoToken" | "vcdCredentials" | "vcdAccessToken";
  username?: string;
  password?: string;
  /** The VCD access token (vcdAccessToken) or the SSO SAML token (ssoToken). */
  token?: string;
  /** `context` of a VCD token issued by another site's Cloud Director (the multisite auth context). */
  tokenContext?: string;
  /** PEM private key that signs a Holder-of-Key SAML token (ssoToken). */
  samlSigningKey?: string;
  /** How the session is extended to each remote cloud site, by site name (POST /sessions/extend). */
  remoteSites?: Record<string, RemoteSiteAuth>;
  insecure: boolean;
  caCertificate?: string;
  /** How long one VCDA task may run before the provider stops waiting for it. */
  taskTimeoutSeconds?: number;
  /** Requests in flight at once to the appliance (provider/http/limiter.ts). */
  maxConcurrentRequests?: number;
  /** Where `url` came from (`vcda:url (or VCDA_URL)`, a profile's key), for messages. */
  urlSetting?: string;
}

/** One remote cloud site's POST /sessions/extend: its credentials, accessToken or multisite variant (docs/api-notes/vcda.md#sessions-remote-cloud-sites). */
export interface RemoteSiteAuth {
  type?: "credentials" | "accessToken" | "multisite";
  username?: string;
  password?: string;
  token?: string;
  context?: string;
  org?: string;
}

export type Product = "zerto" | "vcda";

const PRODUCTS: Record<Product, { name: string; exampleUrl: string }> = {
  zerto: { name: "Zerto", exampleUrl: "https://zvm.example.com" },
  vcda: { name: "VCDA", exampleUrl: "https://vcda.example.com" },
};

/** A key's entry in schema.json `config`. */
interface ConfigKeySchema {
  type?: string;
  env?: string;
  default?: unknown;
  [rule: string]: unknown;
}

const PROFILES = "profiles";
/** A profile is a whole connection of its own; only the patience for tasks, how deep a refresh reads and how many requests fly at once are the stack's unless it says otherwise. */
const INHERITED_BY_PROFILES = ["taskTimeoutSeconds", "refreshMode", "maxConcurrentRequests"];
const PREFLIGHT_KEY = "drprotect:preflight";

function configSchema(): Record<string, ConfigKeySchema> {
  return packageSchema().config;
}

/** The product's connection keys (without the `<product>:` prefix) and their schemas; profiles excepted. */
function connectionKeys(product: Product): Array<[string, ConfigKeySchema]> {
  return Object.entries(configSchema())
    .filter(([key]) => key.startsWith(`${product}:`) && key !== `${product}:${PROFILES}`)
    .map(([key, schema]) => [key.slice(product.length + 1), schema]);
}

/** `<product>:profiles` and `connection:<product>` (one connection: a profile, or the resolved settings), compiled at `npm run gen`. */
function validatorFor(name: string): ValidateFunction {
  return configValidators[name];
}

let stackConfig: Record<string, string | undefined> = {};

/** Called once per provider process with the stack's config (secrets already decrypted). */
export function configure(config: ConfigSource): void {
  stackConfig = {};
  for (const key of Object.keys(configSchema())) {
    const value = config.get(key);
    if (value !== undefined && value !== "") stackConfig[key] = value;
  }
}

/** A config key's value as text: stack config, else its environment variable. */
function setting(key: string): string | undefined {
  const fromConfig = stackConfig[key];
  if (fromConfig !== undefined) return fromConfig;
  const env = configSchema()[key]?.env;
  const value = env ? process.env[env] : undefined;
  return value === "" ? undefined : value;
}

/** The live-preflight switch as set (stack config drprotect:preflight, else its environment variable); preflight.ts judges it. */
export function preflightSetting(): string | undefined {
  return setting(PREFLIGHT_KEY);
}

/**
 * Text read from config, the environment or a `--path` profile entry, as the type the schema
 * wants. Text that is no such value stays text, for the schema to refuse with the key named.
 */
function coerce(schema: ConfigKeySchema, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (schema.type === "integer" && /^\s*\d+\s*$/.test(value)) return Number(value);
  if (schema.type === "boolean" && /^(1|true|yes)$/i.test(value.trim())) return true;
  if (schema.type === "boolean" && /^(0|false|no)$/i.test(value.trim())) return false;
  if (schema.type === "object") {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

const absent = (value: unknown) => value === undefined || value === null || value === "";

const TYPE_NAMES: Record<string, string> = { integer: "a whole number", boolean: "true or false", string: "a string", object: "an object" };

/** Every rule broken, each naming where the value came from and the rule, never the value (it may be a credential). */
function failures(errors: ErrorObject[] | null | undefined, label: (path: string[]) => string): string {
  // a profile's own errors are reported; the macro's summary of them ("must pass connectionOf") is not
  return (errors ?? []).filter((error) => error.keyword !== "connectionOf").map((error) => {
    const path = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const params = error.params as Record<string, any>;
    const original = params.errors?.[0] as ErrorObject | undefined;
    let rule = original?.keyword ?? error.keyword;
    let message = error.message ?? "is invalid";
    if (error.keyword === "additionalProperties") {
      path.push(params.additionalProperty);
      message = "is not a known setting";
      rule = "known settings";
    } else if (error.keyword === "enum") {
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    } else if (error.keyword === "type") {
      message = `must be ${TYPE_NAMES[params.type] ?? params.type}`;
    }
    return `${label(path)} ${message} [rule: ${rule}]`;
  }).join("; ");
}

/** `<product>:profiles`, parsed and validated as a whole; undefined when none are configured. */
function profiles(product: Product): Record<string, Record<string, unknown>> | undefined {
  const key = `${product}:${PROFILES}`;
  const raw = setting(key);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${key} must be a JSON object of named connections`);
  }
  const schemas = Object.fromEntries(connectionKeys(product));
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const entry of Object.values(parsed)) {
      if (!entry || typeof entry !== "object") continue;
      for (const [name, value] of Object.entries(entry)) {
        if (Object.hasOwn(schemas, name)) (entry as Record<string, unknown>)[name] = absent(value) ? undefined : coerce(schemas[name], value);
      }
    }
  }
  const validate = validatorFor(key);
  if (!validate(JSON.parse(JSON.stringify(parsed)))) {
    throw new Error(`${product} profiles are not valid: ${failures(validate.errors, (path) => [key, ...path].join("."))}`);
  }
  return parsed as Record<string, Record<string, unknown>>;
}

function profileSettings(product: Product, profile: string): Record<string, unknown> {
  const all = profiles(product) ?? {};
  // own entries only: a name such as "constructor" must not reach Object.prototype
  const found = Object.hasOwn(all, profile) ? all[profile] : undefined;
  if (!found) {
    const known = Object.keys(all);
    throw new Error(`${product} profile '${profile}' is not configured (known: ${known.length ? known.join(", ") : "none"}); `
      + `set it with: pulumi config set --path ${product}:${PROFILES}.${profile}.url <url> (and --secret for credentials)`);
  }
  return found;
}

/**
 * One product's connection: each key from the profile when one is named (a few keys fall back to
 * the stack's), else stack config, else the environment; then validated against the schema and
 * completed with its defaults.
 */
function resolveConnection(product: Product, profile: string | undefined): Record<string, unknown> {
  const fromProfile = profile ? profileSettings(product, profile) : undefined;
  const values: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const [key, schema] of connectionKeys(product)) {
    const inProfile = fromProfile !== undefined && (!INHERITED_BY_PROFILES.includes(key) || !absent(fromProfile[key]));
    const raw = inProfile ? fromProfile[key] : setting(`${product}:${key}`);
    labels[key] = inProfile ? `${product}:${PROFILES}.${profile}.${key}` : `${product}:${key}${schema.env ? ` (or ${schema.env})` : ""}`;
    if (!absent(raw)) values[key] = coerce(schema, raw);
  }
  const validate = validatorFor(`connection:${product}`);
  if (!validate(values)) throw new Error(failures(validate.errors, ([key]) => labels[key] ?? key));
  if (values.url === undefined) {
    const { name, exampleUrl } = PRODUCTS[product];
    throw new Error(profile
      ? `${product} profile '${profile}' has no url`
      : `the ${name} connection is not configured: set ${product}:url (pulumi config set ${product}:url ${exampleUrl}) or ${configSchema()[`${product}:url`].env}`);
  }
  for (const [key, schema] of connectionKeys(product)) if (values[key] === undefined && schema.default !== undefined) values[key] = schema.default;
  values.urlSetting = labels.url;
  return values;
}

export function zertoConnection(profile?: string): ZertoConnection {
  return resolveConnection("zerto", profile) as unknown as ZertoConnection;
}

export function vcdaConnection(profile?: string): VcdaConnection {
  return resolveConnection("vcda", profile) as unknown as VcdaConnection;
}

/** How long to wait for one task of a connection: its taskTimeoutSeconds, else the schema's default. */
export function taskTimeoutMs(product: Product, connection: { taskTimeoutSeconds?: number }): number {
  const seconds = connection.taskTimeoutSeconds ?? (configSchema()[`${product}:taskTimeoutSeconds`].default as number);
  return seconds * 1000;
}

/** How to set a key, for messages: `VCDA_TASK_TIMEOUT_SECONDS or vcda:taskTimeoutSeconds`. */
export function settingNames(product: Product, key: string): string {
  const name = `${product}:${key}`;
  const env = configSchema()[name]?.env;
  return env ? `${env} or ${name}` : name;
}
