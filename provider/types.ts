/**
 * The dynamic-provider contract, restated without Pulumi types so that the runtime stays
 * independent of the engine (shapes match @pulumi/pulumi's dynamic.ResourceProvider).
 */
export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckResult<I> {
  inputs?: I;
  failures?: CheckFailure[];
}

export interface DiffResult {
  changes?: boolean;
  replaces?: string[];
  deleteBeforeReplace?: boolean;
}

export interface CreateResult<O> {
  id: string;
  outs: O;
}

export interface ReadResult<I, O> {
  id?: string;
  props?: O;
  inputs?: I;
}

export interface ResourceHandler<I = any, O = any> {
  /** Schema token, e.g. "drprotect:zerto:Vpg". */
  readonly token: string;
  check(olds: Partial<I>, news: I): Promise<CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I): Promise<CreateResult<O>>;
  read(id: string, props: O): Promise<ReadResult<I, O>>;
  update(id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(id: string, props: O): Promise<void>;
}

/** The config object the engine hands to `configure`: keys are namespaced ("zerto:url"). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/**
 * Thrown when an object was created but a later step failed: the dynamic-provider host turns an
 * error carrying `id` into a partial-create result, so the object is recorded in state (and can be
 * fixed or deleted by the next run) instead of being orphaned.
 */
export class PartialCreateError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
  }
}
