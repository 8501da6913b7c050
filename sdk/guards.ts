import * as pulumi from "@pulumi/pulumi";
import { packageSchema } from "../provider/schema";

/**
 * Checks every resource class runs in its constructor, inside the program process, before anything
 * is registered with the engine: so a refusal shows at `pulumi preview` and no request is ever sent.
 */

export type Product = "zerto" | "vcda";

/** A product's credentials (schema.json `config` keys marked `secret`): top-level keys and inside `<product>:profiles` entries. */
function credentialKeys(product: Product): string[] {
  return Object.entries(packageSchema().config)
    .filter(([key, entry]) => key.startsWith(`${product}:`) && entry.secret === true)
    .map(([key]) => key.slice(product.length + 1));
}

/** Keys that reach an object's prototype chain rather than the object itself. */
export const RESERVED_KEYS = ["__proto__", "constructor", "prototype"];

/**
 * Refuses credentials kept as plain (non-secret) stack config. The engine stores a dynamic
 * provider's config as its inputs, so a plain password would sit readable in the state, its history
 * and every backup. Environment variables never reach state and stay allowed.
 */
export function refusePlainCredentials(product: Product): void {
  const config = pulumi.runtime.allConfig();
  // an engine that does not report secret keys cannot be judged: the check is skipped, not guessed
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (!isSecret) return;
  const stack = pulumi.getStack();
  const plain: string[] = [];
  for (const key of credentialKeys(product)) {
    const fullKey = `${product}:${key}`;
    if (config[fullKey] !== undefined && config[fullKey] !== "" && !isSecret(fullKey)) {
      plain.push(`    pulumi config set --secret --stack ${stack} ${fullKey}`);
    }
  }
  const profilesKey = `${product}:profiles`;
  // the engine marks a structured key secret when any value inside it is: a plain one next to a
  // secret one cannot be told apart here (docs/configuration.md says so)
  if (config[profilesKey] !== undefined && !isSecret(profilesKey)) {
    for (const [profile, settings] of Object.entries(parseProfiles(config[profilesKey]))) {
      for (const key of credentialKeys(product)) {
        const value = settings && typeof settings === "object" ? (settings as Record<string, unknown>)[key] : undefined;
        if (value !== undefined && value !== null && value !== "") {
          plain.push(`    pulumi config set --secret --path --stack ${stack} '${profilesKey}.${profile}.${key}'`);
        }
      }
    }
  }
  if (plain.length === 0) return;
  throw new pulumi.RunError(`pulumi-drprotect: ${plain.length === 1 ? "a credential is" : "credentials are"} kept as plain stack config, `
    + "which the engine would store readable in the stack's state, its history and its backups. Store "
    + `${plain.length === 1 ? "it" : "each"} encrypted (the command asks for the value):\n${plain.join("\n")}\n`
    + `or remove ${plain.length === 1 ? "it" : "them"} from the stack config and set ${plain.length === 1 ? "it" : "them"} in the environment (${envNames(product)}).`);
}

function parseProfiles(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {}; // the provider reports malformed profiles when it reads them
  }
}

function envNames(product: Product): string {
  const config = packageSchema().config;
  return [...credentialKeys(product), "profiles"].map((key) => config[`${product}:${key}`].env).join(", ");
}

/**
 * Refuses own properties named `__proto__`, `constructor` or `prototype` anywhere in a resource's
 * arguments. They must be caught here: serializing the arguments turns an own `__proto__` into
 * the prototype of the copy sent to the engine, so its contents arrive as ordinary properties (or
 * vanish) and no later check can see them. Values still inside an Output are judged by `check`.
 */
export function refuseReservedKeys(resourceType: string, name: string, args: unknown): void {
  const found = reservedKeyPaths(args, "");
  if (found.length === 0) return;
  throw new pulumi.RunError(found.map((p) => `${resourceType} '${name}': ${p} is a reserved key: __proto__, constructor and prototype are `
    + "refused in every object [rule: reservedKey]").join("\n"));
}

function reservedKeyPaths(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => reservedKeyPaths(v, `${path}[${i}]`));
  if (!isPlainObject(value)) return [];
  return Object.getOwnPropertyNames(value).flatMap((key) => {
    const child = path ? `${path}.${key}` : key;
    return RESERVED_KEYS.includes(key) ? [child] : reservedKeyPaths((value as Record<string, unknown>)[key], child);
  });
}

/** Plain data only: Outputs, Promises and Resources are left to the engine. */
function isPlainObject(value: unknown): value is object {
  if (!value || typeof value !== "object" || pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) return false;
  if (typeof (value as { then?: unknown }).then === "function") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Assignments declared so far in this program, by org and connection profile. An org has one
 * policy, so two assignments of it would overwrite each other on every run and never converge;
 * the program process sees every resource (the provider's check sees one at a time), so the
 * clash is refused here, before preview sends any request.
 */
const declaredAssignments = new Map<string, string>();

function claimOrg(name: string, org: string, profile: string | undefined): void {
  const key = `${profile ?? ""}|${org}`;
  const other = declaredAssignments.get(key);
  if (other !== undefined && other !== name) {
    throw new Error(`OrgPolicyAssignment '${name}' and OrgPolicyAssignment '${other}' both assign a policy to organization '${org}`
      + `'${profile ? ` (profile ${profile})` : ""}: an organization has one policy, so they would undo each other on every run. Keep one of them.`);
  }
  declaredAssignments.set(key, name);
}

function refuseSecondAssignmentOfOrg(name: string, args: unknown): void {
  const { org, profile } = args as { org: pulumi.Input<string>; profile?: pulumi.Input<string> };
  if (typeof org === "string" && (profile === undefined || typeof profile === "string")) claimOrg(name, org, profile);
  else pulumi.all([org, profile]).apply(([o, p]) => claimOrg(name, o, p));
}

/** Checks particular to one resource type, by schema token: the resource classes are generated, so they live here. */
const RESOURCE_GUARDS: Record<string, (name: string, args: unknown) => void> = {
  "drprotect:vcda:OrgPolicyAssignment": refuseSecondAssignmentOfOrg,
};

/** The checks of one resource's construction (token drprotect:<product>:<type>), in the order a user would fix them. */
export function guardConstruction(token: string, name: string, args: unknown): void {
  const [, product, resourceType] = token.split(":");
  refuseReservedKeys(resourceType, name, args);
  refusePlainCredentials(product as Product);
  RESOURCE_GUARDS[token]?.(name, args);
}
