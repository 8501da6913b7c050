export * from "./vpg";
