#!/usr/bin/env node
// Makes a fresh clone ready to run: installs the npm dependencies when they are missing and the
// Debian packages listed in scripts/system-packages.txt (all of them, or with --demo only those the
// demo needs). Installing system packages needs root and apt-get; otherwise it prints the exact
// command to run and exits 1. Plain Node, no dependencies: it runs before `npm ci`.
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const demoOnly = process.argv.includes("--demo");

function log(message) {
    process.stderr.write(`bootstrap: ${message}\n`);
}

function run(command, args, options = {}) {
    const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
    if (result.status !== 0) {
        log(`\`${[command, ...args].join(" ")}\` failed (exit ${result.status ?? result.signal})`);
        process.exit(1);
    }
}

function requiredPackages() {
    return fs.readFileSync(path.join(__dirname, "system-packages.txt"), "utf8")
        .split("\n")
        .map((line) => line.replace(/#.*/, "").trim().split(/\s+/))
        .filter(([name]) => name)
        .filter(([, tag]) => !demoOnly || tag === "demo")
        .map(([name]) => name);
}

function isInstalled(pkg) {
    const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
    return result.status === 0 && result.stdout.includes("install ok installed");
}

function ensureSystemPackages() {
    const hasDpkg = spawnSync("dpkg-query", ["--version"]).status === 0;
    if (!hasDpkg) {
        log("not a Debian-based system: make sure the tools named in scripts/system-packages.txt are installed");
        return;
    }
    const missing = requiredPackages().filter((p) => !isInstalled(p));
    if (missing.length === 0) return;
    const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
    const canInstall = process.getuid && process.getuid() === 0 && spawnSync("apt-get", ["--version"]).status === 0;
    if (!canInstall) {
        log(`missing Debian packages: ${missing.join(", ")}`);
        log(`install them as root with:\n  ${command}`);
        process.exit(1);
    }
    log(`installing ${missing.length} Debian package(s): ${missing.join(" ")}`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], { env });
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env });
}

function ensureNodeModules() {
    const marker = path.join(root, "node_modules", ".package-lock.json");
    const lock = path.join(root, "package-lock.json");
    if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
    log("installing npm dependencies (npm ci)");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
}

ensureSystemPackages();
ensureNodeModules();
if (!fs.existsSync(path.join(root, "dist", "cli", "vh.js"))) {
    log("building (npm run build)");
    run("npm", ["run", "build"]);
}

