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
