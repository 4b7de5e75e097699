package io.github.sidecarlambda.credentials;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerAsyncClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import io.github.sidecarlambda.ParameterName;

/**
 * Reads External IDs from AWS Secrets Manager ({@code externalIdStore=secretsManager}): {@code GetSecretValue} of the
 * secret named {@code <customer>/<environment>/<key>} (the externalIdKey without the leading slash Parameter Store
 * needs), version stage {@code AWSCURRENT}, and {@code AWSPREVIOUS} for the one retry after STS denied the current
 * value. Secrets Manager always stores a secret encrypted, so the value counts as a SecureString. One SDK call per
 * read: the tenant's refresh already makes it once per credential lifetime.
 */
final class SecretsManagerReader implements ExternalIdReader {

    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";

    private final SecretsManagerAsyncClient client;

    public SecretsManagerReader(SecretsManagerAsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Parameter> read(String name, long deadlineNanos) {
        return get(name, CURRENT, deadlineNanos);
    }

    @Override
    public CompletableFuture<Parameter> readPrevious(String name, long deadlineNanos) {
        return get(name, PREVIOUS, deadlineNanos);
    }

    private CompletableFuture<Parameter> get(String name, String stage, long deadlineNanos) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(SdkClientException.create("Secrets Manager did not answer in time"));
        }
        String secretId = secretName(name);
        try {
            return client.getSecretValue(b -> b.secretId(secretId)
                            .versionStage(stage)
                            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(remaining))))
                    .thenApply(r -> parameter(secretId, r));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Parameter parameter(String name, GetSecretValueResponse r) {
        return Parameter.builder()
                .name(name)
                .value(r.secretString())
                .type(ParameterType.SECURE_STRING)
                .build();
    }

    public static String secretName(String parameterName) {
        return parameterName.startsWith("/") ? parameterName.substring(1) : parameterName;
    }

    @Override
    public String nameOf(ParameterName parameterName) {
        return secretName(parameterName.value());
    }

    @Override
    public String what() {
        return "secret";
    }

    @Override
    public String service() {
        return "Secrets Manager";
    }

    @Override
    public String accessHint() {
        return "the platform identity needs secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key";
    }

    @Override
    public boolean isNotFound(Throwable error) {
        return error instanceof ResourceNotFoundException;
    }
}
