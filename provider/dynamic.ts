import type { ConfigSource, ResourceHandler } from "./types";

/**
 * The object handed to pulumi.dynamic.Resource. Pulumi serializes it into every resource's state,
 * so it stays a few hundred bytes: it captures only the resource token and `require`s the
 * installed package at run time. Fixes in the installed package therefore reach resources already
 * in state, and no credential can be captured here (connections are read in `configure`).
 */
export function delegateFor(token: string) {
  return {
    configure: (req: { config: ConfigSource }) => require("pulumi-drprotect/provider").configure(req.config),
    check: (olds: any, news: any) => require("pulumi-drprotect/provider").handlerFor(token).check(olds, news),
    diff: (id: string, olds: any, news: any) => require("pulumi-drprotect/provider").handlerFor(token).diff(id, olds, news),
    create: (inputs: any) => require("pulumi-drprotect/provider").handlerFor(token).create(inputs),
    read: (id: string, props: any) => require("pulumi-drprotect/provider").handlerFor(token).read(id, props),
    update: (id: string, olds: any, news: any) => require("pulumi-drprotect/provider").handlerFor(token).update(id, olds, news),
    delete: (id: string, props: any) => require("pulumi-drprotect/provider").handlerFor(token).delete(id, props),
  };
}

export type Delegate = ReturnType<typeof delegateFor>;
export type { ResourceHandler };
