#!/usr/bin/env bash
# Java for the Spark job and its tests (pyspark needs a JVM, 17 or newer).
# Idempotent: does nothing when a `java` is already on the PATH.
set -euo pipefail

if command -v java >/dev/null 2>&1; then
    java -version 2>&1 | head -n 1
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends default-jre-headless
java -version 2>&1 | head -n 1
