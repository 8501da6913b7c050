export * as zerto from "./zerto";
export * as vcda from "./vcda";
export type * from "./args.generated";
