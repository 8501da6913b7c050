import * as fs from "node:fs";
import * as path from "node:path";
import type { ValidateFunction } from "ajv";

/** schema.json, read once from the package root (it ships with the package). */
export interface PackageSchema {
  name: string;
  definitions: Record<string, any>;
  resources: Record<string, { module: string; type: string; description: string; idOutput?: string; inputs: any; outputs: Record<string, any> }>;
  config: Record<string, any>;
}

let cached: PackageSchema | undefined;

export function packageSchema(): PackageSchema {
  if (!cached) {
    // dist/provider/schema.js → package root is two levels up; provider/schema.ts under ts-node is one.
    const candidates = [path.join(__dirname, "..", "..", "schema.json"), path.join(__dirname, "..", "schema.json")];
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) throw new Error(`schema.json not found next to the package (looked in ${candidates.join(", ")})`);
    cached = JSON.parse(fs.readFileSync(file, "utf8")) as PackageSchema;
  }
  return cached;
}

export function resourceSchema(token: string) {
  const resource = packageSchema().resources[token];
  if (!resource) throw new Error(`unknown resource token ${token}`);
  return resource;
}

/** schema.json's validators, compiled by ajv at `npm run gen` (scripts/generate.js): nothing is compiled at run time. */
export const inputValidators: Record<string, ValidateFunction> = require("./inputValidators.generated");
/** By `<product>:profiles` config key, and `connection:<product>` for one connection. */
export const configValidators: Record<string, ValidateFunction> = require("./configValidators.generated");
