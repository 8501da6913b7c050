export * from "./client";
export * from "./errors";
export * from "./poll";
export * from "./sessions";
export * from "./tls";
