/** The ZVM and VCDA simulators, for tests, demos and trying the provider without an appliance. */
export { startZvmSimulator } from "./zvm";
export type { ZvmSimulator, ZvmSimulatorOptions } from "./zvm";
export { startVcdaSimulator } from "./vcda";
export type { VcdaSimulator, VcdaSimulatorOptions } from "./vcda";
export * from "./common";
