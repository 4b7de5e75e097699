package io.github.sidecarlambda;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;

import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.credentials.TenantCredentials;

/**
 * The chain an endpoint uses, checked once at producer start ({@code preflight=true}): credentials through the
 * component's own tenant cache (so the External ID read and AssumeRole it does are the ones traffic then reuses, no
 * extra call), then a Lambda {@code DryRun} invoke, which checks the invoke permission without running the function.
 */
final class RoutePreflight {

    private RoutePreflight() {}

    static PreflightReport run(SidecarLambdaEndpoint endpoint) throws InterruptedException {
        SidecarLambdaConfiguration config = endpoint.getConfiguration();
        SidecarLambdaEndpoint.Target target = endpoint.target();
        String key = endpoint.validated().parameterName().value();
        PreflightReport report =
                new PreflightReport(config.getRoleArn() + ", External ID " + key + ", function " + target.function());
        long timeout = endpoint.getComponent().getCredentialsRefreshTimeout() + 5_000;
        TenantCredentials.Generation credentials;
        try {
            credentials = endpoint.getComponent()
                    .tenants()
                    .get(target.tenant())
                    .credentials()
                    .get(timeout, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            credentialsFailed(report, AwsErrors.unwrap(e.getCause()), key, config.getRoleArn());
            return report;
        } catch (TimeoutException e) {
            report.failed(
                    "credentials",
                    "no answer within " + timeout + " ms",
                    "Parameter Store or STS did not answer",
                    "check the network and the endpoint overrides");
            report.skipped("invoke permission", "skipped");
            return report;
        }
        report.passed("External ID", key + " (GetParameter)");
        report.passed("assume role", config.getRoleArn() + " (AssumeRole)");
        String invoked =
                target.function() + (config.getQualifier() != null ? " qualifier " + config.getQualifier() : "");
        try {
            int status = target.lambda()
                    .invoke(InvokeRequest.builder()
                            .functionName(target.function().value())
                            .qualifier(config.getQualifier())
                            .invocationType(InvocationType.DRY_RUN)
                            .overrideConfiguration(credentials.override())
                            .build())
                    .get(config.getApiCallTimeout(), TimeUnit.MILLISECONDS)
                    .statusCode();
            report.passed("invoke permission", "DryRun of " + invoked + ": " + status + " (Invoke, nothing ran)");
        } catch (ExecutionException e) {
            AwsServiceException aws = AwsErrors.cause(e, AwsServiceException.class);
            String code = aws != null && aws.awsErrorDetails() != null
                    ? aws.awsErrorDetails().errorCode()
                    : null;
            if ("AccessDeniedException".equals(code)) {
                report.failed(
                        "invoke permission",
                        "DryRun of " + invoked + ": AccessDeniedException",
                        "the role may not call lambda:InvokeFunction on the ARN invoked (an unqualified function ARN "
                                + "does not cover an alias or version)",
                        "the customer allows lambda:InvokeFunction on the exact ARN (camel-sidecar-lambda-cli policy invoke)");
            } else if ("ResourceNotFoundException".equals(code)) {
                report.failed(
                        "invoke permission",
                        "DryRun of " + invoked + ": ResourceNotFoundException",
                        "no such function or qualifier in that account and region",
                        "check the function, qualifier and region");
            } else {
                report.failed(
                        "invoke permission",
                        "DryRun of " + invoked + ": "
                                + (code != null ? code : e.getCause().toString()),
                        "Lambda refused or failed the call",
                        "see docs/troubleshooting.md");
            }
        } catch (TimeoutException e) {
            report.failed(
                    "invoke permission",
                    "no answer within apiCallTimeout",
                    "Lambda did not answer",
                    "check the network and lambdaEndpointOverride");
        }
        return report;
    }

    private static void credentialsFailed(PreflightReport report, Throwable cause, String key, String roleArn) {
        if (cause instanceof ExternalIdUnavailableException u) {
            report.failed(
                    "External ID",
                    key + ": " + u.getReason(),
                    cause.getMessage(),
                    switch (u.getReason()) {
                        case NOT_FOUND -> "create it: camel-sidecar-lambda-cli external-id create " + key;
                        case ACCESS_DENIED ->
                            "allow the platform identity ssm:GetParameter on it and kms:Decrypt on its key";
                        case INVALID_VALUE ->
                            "store a valid External ID (camel-sidecar-lambda-cli external-id create --rotate)";
                        case PLATFORM_IDENTITY -> "give the platform valid AWS credentials";
                        default -> "retry later; see docs/troubleshooting.md";
                    });
            report.skipped("assume role", "skipped");
        } else if (cause instanceof AssumeRoleDeniedException) {
            report.passed("External ID", key + " (GetParameter)");
            report.failed(
                    "assume role",
                    roleArn + ": AccessDenied",
                    cause.getMessage(),
                    "run camel-sidecar-lambda-cli preflight to narrow it down; regenerate the trust policy with "
                            + "policy trust and have the customer lint and paste it");
        } else {
            report.passed("External ID", key + " (GetParameter)");
            report.failed(
                    "assume role",
                    roleArn + ": " + cause.getClass().getSimpleName(),
                    cause.getMessage(),
                    "see docs/troubleshooting.md");
        }
        report.skipped("invoke permission", "skipped");
    }
}
