/**
 * The object handed to pulumi.dynamic.Resource. Pulumi serializes it into every resource's state,
 * so it stays small: it captures only the resource token and `require`s the installed package at
 * run time. Fixes in the installed package therefore reach resources already in state, and no
 * credential can be captured here (connections are read in `configure`).
 */
export function delegateFor(token: string) {
  // The host calls these as methods, so they reach the token and `dispatch` through `this`: no
  // function captures a variable, and the serialized text holds the token and the require once.
  return {
    token,
    dispatch(method: string, args: unknown[]) { return require("pulumi-drprotect/provider").dispatch(this.token, method, args); },
    configure(...a: unknown[]) { return this.dispatch("configure", a); },
    check(...a: unknown[]) { return this.dispatch("check", a); },
    diff(...a: unknown[]) { return this.dispatch("diff", a); },
    create(...a: unknown[]) { return this.dispatch("create", a); },
    read(...a: unknown[]) { return this.dispatch("read", a); },
    update(...a: unknown[]) { return this.dispatch("update", a); },
    delete(...a: unknown[]) { return this.dispatch("delete", a); },
  };
}
