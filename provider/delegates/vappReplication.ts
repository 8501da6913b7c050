// Generated from schema.json by scripts/generate.js. DO NOT EDIT BY HAND: run `npm run gen`.
import { delegateFor } from "../dynamic";

// The module object itself is the delegate: installed under node_modules, Pulumi stores it as a
// one-line require of this file instead of serializing its code.
export = delegateFor("drprotect:vcda:VappReplication");
