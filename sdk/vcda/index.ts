// The module's namespace: its resource classes and its look-ups, with the look-ups' argument and
// result types (the *.generated files come from schema.json).
export * from "./resources.generated";
export * from "./lookups";
export type * from "./lookups.generated";
