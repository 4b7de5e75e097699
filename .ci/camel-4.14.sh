#!/usr/bin/env bash
# Camel 4.14 LTS: runs the component's whole test suite on Camel 4.14 against the main classes `mvn install` compiled
# against Camel 4.18.0, i.e. the jar users get (only the tests are compiled against 4.14). Run after `mvn install`.
# It works in a copy of the project with camel-component-maven-plugin off (-Dcamel.generate.phase=none), so
# src/generated is never rewritten by 4.14's plugin (whose EndpointUriFactory differs: multiValuePrefixes() returns a
# Set in 4.14, a Map in 4.18). The copy holds every module's sources and poms, not only the component's: the suite
# reads them (BuildConsistencyTest compares every pom with the root's, DocsTruthTest checks docs against the code).
set -euo pipefail
cd "$(dirname "$0")/.."
camel=${CAMEL_LTS_VERSION:-4.14.0}
[[ -d target/classes/io/github/sidecarlambda ]] || { echo "run 'mvn install' first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git ls-files -z --cached --others --exclude-standard -- pom.xml src emulator starter cli examples docs README.md .ci | tar --null -T - -cf - | tar -xf - -C "$work"
mkdir -p "$work/target" && cp -r target/classes "$work/target/classes"
cd "$work"
mvn -B -ntp -Dcamel.version="$camel" -Dmaven.main.skip=true -Dcamel.generate.phase=none verify
