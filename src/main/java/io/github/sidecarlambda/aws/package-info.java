/**
 * Internal to camel-sidecar-lambda, not API: the AWS SDK clients the component shares (one Lambda client per region and endpoint, STS and SSM per region), their event loops, timeout wheel and retry safety. Classes here are public only so the component's packages can
 * use each other; they may change in any release. Use the component through {@code io.github.sidecarlambda}.
 */
package io.github.sidecarlambda.aws;
