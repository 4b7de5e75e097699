/**
 * Internal to camel-sidecar-lambda, not API: the component's metrics as events, and their Micrometer meters. Classes here are public only so the component's packages can
 * use each other; they may change in any release. Use the component through {@code io.github.sidecarlambda}.
 */
package io.github.sidecarlambda.metrics;
