/**
 * Internal to camel-sidecar-lambda, not API: sidecar mode: the gateway sidecar contract's input and answer mapping. Classes here are public only so the component's packages can
 * use each other; they may change in any release. Use the component through {@code io.github.sidecarlambda}.
 */
package io.github.sidecarlambda.sidecar;
