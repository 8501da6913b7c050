export * from "./clock";
export * from "./faults";
export * from "./journal";
export * from "./load";
export * from "./random";
export * from "./server";
export * from "./tls";
