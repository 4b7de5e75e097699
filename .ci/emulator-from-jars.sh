#!/usr/bin/env bash
# Proves docs/emulator.md, "Use it from your own project": the standalone launcher runs from the installed jars alone
# (no source checkout), and an independent client (the AWS CLI) talks to it. Run after README's two commands (the
# second installs the emulator module).
set -euo pipefail
version=$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$(dirname "$0")/../pom.xml" | head -1)
pid=
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>emulator-user</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>io.github.sidecarlambda</groupId><artifactId>sidecar-lambda-emulator</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
</project>
POM
(cd "$work" && mvn -q -B -ntp dependency:build-classpath -Dmdep.outputFile=cp.txt)
# the installed jar must be the one this build made (emulator/target), not one left in ~/.m2 by an earlier build
built="$(dirname "$0")/../emulator/target/sidecar-lambda-emulator-$version.jar"
installed=$(tr ':' '\n' < "$work/cp.txt" | grep "sidecar-lambda-emulator-$version.jar\$")
cmp -s "$built" "$installed" || { echo "the installed $installed is not the emulator this build made ($built): README's second command must install it" >&2; exit 1; }
java -cp "$(cat "$work/cp.txt")" io.github.sidecarlambda.emulator.AwsEmulator --port 0 > "$work/emulator.out" 2>&1 &
pid=$!
for _ in $(seq 1 60); do grep -q '^READY ' "$work/emulator.out" && break; sleep 1; done
grep -q '^READY ' "$work/emulator.out" || { cat "$work/emulator.out"; echo "launcher did not start" >&2; exit 1; }
endpoint=$(sed -n 's/^READY //p' "$work/emulator.out")
eval "$(grep '^export ' "$work/emulator.out")"
export AWS_DEFAULT_REGION=$AWS_REGION AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
identity=$(/usr/bin/aws --endpoint-url "$endpoint" sts get-caller-identity --output text --query Arn)
value=$(/usr/bin/aws --endpoint-url "$endpoint" ssm get-parameter --name /acme/prod/trustKey --with-decryption \
        --output text --query Parameter.Value)
[[ "$identity" == arn:aws:sts::809167139867:assumed-role/java_proxy/* ]] || { echo "unexpected identity $identity" >&2; exit 1; }
[[ -n "$value" ]] || { echo "no parameter value" >&2; exit 1; }
echo "emulator from installed jars: OK ($identity)"

# docs/emulator.md, "Use it from your own project": its pom.xml and MyRouteTest, copied from the page as they are,
# build and pass against the installed jars (a page edit that breaks them fails here)
user=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work" "$user"' EXIT
page="$(dirname "$0")/../docs/emulator.md"
section=$(sed -n '/^## Use it from your own project/,/^## /p' "$page")
mkdir -p "$user/src/test/java"
awk '/^```xml/{f=1;next} /^```/{if(f){exit}} f' <<<"$section" > "$user/pom.xml"
awk '/^```java/{f=1;next} /^```/{if(f){exit}} f' <<<"$section" > "$user/src/test/java/MyRouteTest.java"
grep -q '<artifactId>sidecar-lambda-emulator</artifactId>' "$user/pom.xml" || { echo "no pom.xml on the page" >&2; exit 1; }
grep -q 'class MyRouteTest' "$user/src/test/java/MyRouteTest.java" || { echo "no MyRouteTest on the page" >&2; exit 1; }
(cd "$user" && mvn -B -ntp -q test) || { echo "docs/emulator.md's own project does not pass" >&2; exit 1; }
grep -q 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0' "$user"/target/surefire-reports/MyRouteTest.txt
echo "docs/emulator.md's own project: builds, MyRouteTest passes"
