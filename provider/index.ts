import { configure } from "./connection";
import { HANDLER_LOADERS } from "./handlers.generated";
import type { ResourceHandler } from "./types";

export { configure };
export * from "./types";

const handlers = new Map<string, ResourceHandler>();

export function handlerFor(token: string): ResourceHandler {
  let handler = handlers.get(token);
  if (!handler) {
    const load = HANDLER_LOADERS[token];
    if (!load) throw new Error(`pulumi-drprotect: unknown resource type ${token}; is the installed package older than the program?`);
    handler = withoutEchoedValues(load());
    handlers.set(token, handler);
  }
  return handler;
}

/** Entry point of the serialized delegate (provider/dynamic.ts): one method call on one resource type. */
export function dispatch(token: string, method: string, args: any[]): Promise<unknown> | void {
  if (method === "configure") return configure(args[0].config);
  const handler = handlerFor(token) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return handler[method](...args);
}

/**
 * The engine prints a failure that names a property as "property X value V has a problem", echoing
 * V (a password put in the wrong place, say). Our reasons already name the property and the rule,
 * so the engine is handed none and prints "resource 'r' has a problem: <reason>" instead.
 */
function withoutEchoedValues(handler: ResourceHandler): ResourceHandler {
  return {
    ...handler,
    check: async (olds, news) => {
      const result = await handler.check(olds, news);
      return result.failures?.length ? { ...result, failures: result.failures.map((f) => ({ property: "", reason: f.reason })) } : result;
    },
  };
}
