import * as fs from "node:fs";
import * as path from "node:path";

/** schema.json, read once from the package root (it ships with the package). */
export interface PackageSchema {
  name: string;
  definitions: Record<string, any>;
  resources: Record<string, { module: string; type: string; description: string; inputs: any; outputs: Record<string, any> }>;
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

/** Top-level input properties annotated `replaceOnChanges`, plus nested ones as dotted paths. */
export function replaceOnChangePaths(token: string): string[] {
  const found: string[] = [];
  const defs = packageSchema().definitions;
  const walk = (schema: any, prefix: string, depth: number) => {
    if (!schema || depth > 4) return;
    const resolved = schema.$ref ? { ...defs[schema.$ref.replace("#/definitions/", "")], ...schema } : schema;
    if (prefix && resolved.replaceOnChanges) found.push(prefix);
    for (const [key, child] of Object.entries<any>(resolved.properties ?? {})) {
      walk(child, prefix ? `${prefix}.${key}` : key, depth + 1);
    }
  };
  walk(resourceSchema(token).inputs, "", 0);
  return found;
}

/** Input properties annotated `createOnly`: used at creation, never compared afterwards. */
export function createOnlyPaths(token: string): string[] {
  const found: string[] = [];
  const defs = packageSchema().definitions;
  const walk = (schema: any, prefix: string) => {
    for (const [key, entry] of Object.entries<any>(schema?.properties ?? {})) {
      const child = entry.$ref ? { ...defs[entry.$ref.replace("#/definitions/", "")], ...entry } : entry;
      const p = prefix ? `${prefix}.${key}` : key;
      if (child.createOnly) found.push(p);
      walk(child, p);
    }
  };
  walk(resourceSchema(token).inputs, "");
  return found;
}
