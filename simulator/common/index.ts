export * from "./clock";
export * from "./faults";
export * from "./journal";
export * from "./random";
export * from "./server";
export * from "./tls";
