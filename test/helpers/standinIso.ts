export * from "../../sim/standin/standinIso";
