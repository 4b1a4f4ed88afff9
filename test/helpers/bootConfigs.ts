export * from "../../sim/standin/bootConfigs";
