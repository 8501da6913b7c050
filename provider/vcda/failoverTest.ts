import type { FailoverTestDriver } from "../failoverTest";
import type { VcdaClient } from "./client";

/** Placeholder until the VCDA failover-test driver is merged: the drill refuses VCDA targets with this error. */
export function createVcdaFailoverTestDriver(_client: VcdaClient): FailoverTestDriver {
  throw new Error("the VCDA failover-test driver is not built");
}
