import uniqueItemPropertiesDefinition from "ajv-keywords/dist/definitions/uniqueItemProperties";
import { UNKNOWN } from "./state";

/**
 * The rules schema.json uses beyond JSON Schema, called by the compiled validators
 * (provider/inputValidators.generated.ts) as `rule(items, schemaValue)`.
 */

const byKeys = new Map<string, (items: unknown[]) => boolean>();

/** ajv-keywords' `uniqueItemProperties`: no two items have deep-equal values of any listed property. */
export function uniqueItemProperties(items: unknown[], keys: string[]): boolean {
  const id = JSON.stringify(keys);
  let rule = byKeys.get(id);
  if (!rule) {
    // without the items' schema, every property is compared deeply (the definition's general case)
    rule = uniqueItemPropertiesDefinition().compile!(keys, {}, undefined as never) as (items: unknown[]) => boolean;
    byKeys.set(id, rule);
  }
  return rule(items);
}

/** `uniqueIgnoringCase`: no two items share the listed string properties, ignoring case; unknown values are not judged. */
export function uniqueIgnoringCase(items: unknown[], properties: string[]): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    if (!item || typeof item !== "object") continue;
    const values = properties.map((p) => (item as Record<string, unknown>)[p]);
    if (values.some((v) => typeof v !== "string" || v === UNKNOWN)) continue;
    const key = JSON.stringify(values.map((v) => (v as string).toLowerCase()));
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}
