export * from "./auth";
export * from "./client";
export * from "./errors";
export * from "./mediaType";
export * from "./poll";
export * from "./sessions";
export * from "./tasks";
export * from "./tls";
