// The package's entry point: one namespace per module (dr.zerto, dr.vcda), each holding its resource
// classes and look-ups, and the resources' input types.
export * from "./modules.generated";
export type * from "./args.generated";
