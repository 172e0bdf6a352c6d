// What the component package offers, as the SDK's schema inference reads it (package.json main is
// plugin.js, whose .ts twin this is): the VtmStack component and the types of its arguments.
export { VtmStack } from "./components/vtmStack";
export * from "./components/vtmStackArgs";
