package io.github.sidecarlambda.credentials;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

import io.github.sidecarlambda.ParameterName;

/**
 * Where the operator keeps the External IDs (option {@code externalIdStore}): SSM Parameter Store
 * ({@link ParameterStoreReader}, the default) or Secrets Manager ({@link SecretsManagerReader}). A read completes with
 * the value in SSM's {@link Parameter} shape (value, type, version), which is all {@link ExternalIdSource} needs, or
 * exceptionally with the SDK's exception.
 */
interface ExternalIdReader {

    /** The current value of the External ID stored under {@code name} (the fully qualified parameter name). */
    CompletableFuture<Parameter> read(String name, long deadlineNanos);

    /**
     * The value before the last rotation, tried once after STS denied the current one; null when the store keeps no
     * previous value (Parameter Store: a rotation there is an overwrite).
     */
    default CompletableFuture<Parameter> readPrevious(String name, long deadlineNanos) {
        return null;
    }

    /** The name the store uses for {@code parameterName} (as shown in messages). */
    default String nameOf(ParameterName parameterName) {
        return parameterName.value();
    }

    /** "parameter" or "secret", for messages. */
    default String what() {
        return "parameter";
    }

    /** "Parameter Store" or "Secrets Manager", for messages. */
    default String service() {
        return "Parameter Store";
    }

    /** What the platform identity needs to read the value, for an AccessDenied message. */
    default String accessHint() {
        return "the platform identity needs ssm:GetParameter on the parameter, and kms:Decrypt on its key";
    }

    /** Whether this error means the stored value does not exist. */
    default boolean isNotFound(Throwable error) {
        return error instanceof ParameterNotFoundException;
    }
}
