package io.github.sidecarlambda.emulator;

import java.time.Instant;

/**
 * One request that reached an operation. {@code resource} is the role ARN (AssumeRole), parameter ARN or name (SSM)
 * or the invoked function ARN with qualifier (Invoke). Never contains secret values.
 * {@code errorCode} is null on success.
 */
public record CallRecord(
        Instant at,
        String service,
        String operation,
        String principalArn,
        String accessKeyId,
        String resource,
        int httpStatus,
        String errorCode) {}
