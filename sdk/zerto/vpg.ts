import * as pulumi from "@pulumi/pulumi";
import provider = require("../../provider/delegates/vpg");
import type * as args from "../args.generated";
import { guardConstruction } from "../guards";

/**
 * A Zerto Virtual Protection Group. Connection settings come from stack config (`zerto:url`,
 * `zerto:username`, `zerto:password` as a secret, …) or ZERTO_* environment variables.
 */
export class Vpg extends pulumi.dynamic.Resource {
  /** The resource id: known during the preview of an update. */
  declare readonly vpgId: pulumi.Output<string>;
  /** The state the ZVM reports: protected, paused, testingFailover, failingOver, moving, recovered, deleting (unhealthy with failDriftOnUnhealthy). */
  declare readonly protectionState: pulumi.Output<string>;
  declare readonly status: pulumi.Output<string>;
  declare readonly subStatus: pulumi.Output<string>;
  /** null until the ZVM has calculated it. */
  declare readonly actualRpoSeconds: pulumi.Output<number | null>;
  declare readonly name: pulumi.Output<string>;
  declare readonly protectedSiteId: pulumi.Output<string | undefined>;
  /** protectedSiteId, or the ZVM's local site when it is not set. */
  declare readonly resolvedProtectedSiteId: pulumi.Output<string>;
  declare readonly recoverySiteId: pulumi.Output<string>;
  declare readonly rpoSeconds: pulumi.Output<number>;
  declare readonly journalHistoryHours: pulumi.Output<number>;
  declare readonly priority: pulumi.Output<string>;
  declare readonly vms: pulumi.Output<args.VpgVmArgs[]>;

  constructor(name: string, vpgArgs: args.VpgArgs, opts?: pulumi.CustomResourceOptions) {
    guardConstruction("zerto", "Vpg", name, vpgArgs);
    const outputs = { status: undefined, subStatus: undefined, actualRpoSeconds: undefined, resolvedProtectedSiteId: undefined, protectionState: undefined };
    super(provider, name, { ...outputs, ...vpgArgs }, opts, "zerto", "Vpg");
    this.vpgId = this.id;
  }
}
