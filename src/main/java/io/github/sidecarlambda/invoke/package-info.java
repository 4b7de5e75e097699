/**
 * Internal to camel-sidecar-lambda, not API: how an exchange maps to an Invoke and back (plain mode, the mapping strategy) and how a failed Invoke is reported. Classes here are public only so the component's packages can
 * use each other; they may change in any release. Use the component through {@code io.github.sidecarlambda}.
 */
package io.github.sidecarlambda.invoke;
