/**
 * Internal to camel-sidecar-lambda, not API: per-tenant credentials: the tenant cache, the External ID readers (Parameter Store, Secrets Manager) and the AssumeRole refresh. Classes here are public only so the component's packages can
 * use each other; they may change in any release. Use the component through {@code io.github.sidecarlambda}.
 */
package io.github.sidecarlambda.credentials;
