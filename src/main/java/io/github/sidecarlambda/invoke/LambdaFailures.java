package io.github.sidecarlambda.invoke;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.LambdaException;

import io.github.sidecarlambda.LambdaServiceException;
import io.github.sidecarlambda.SidecarLambdaException;
import io.github.sidecarlambda.aws.AwsErrors;
import io.github.sidecarlambda.aws.RetrySafety;

/** A failed Invoke as the route's error handler gets it: a {@link LambdaServiceException} that says what to do. */
public final class LambdaFailures {

    private LambdaFailures() {}

    /** Lambda (not Parameter Store or STS: those failures arrive as our own exceptions) rejected the token. */
    public static boolean isExpiredToken(Throwable error) {
        LambdaException lambda = AwsErrors.cause(error, LambdaException.class);
        return lambda != null && "ExpiredTokenException".equals(AwsErrors.code(lambda));
    }

    public static Exception translate(Throwable error, InvokeRequest request) {
        SidecarLambdaException own = AwsErrors.cause(error, SidecarLambdaException.class);
        if (own != null) {
            return own;
        }
        String function = request.functionName()
                + (request.qualifier() != null ? " (qualifier " + request.qualifier() + ")" : "");
        RetrySafety.Verdict verdict = RetrySafety.of(error);
        AwsServiceException aws = AwsErrors.cause(error, AwsServiceException.class);
        if (aws != null) {
            String code = AwsErrors.code(aws);
            String message = AwsErrors.message(aws);
            String hint = switch (code == null ? "" : code) {
                case "AccessDeniedException" ->
                    " (the customer's role needs lambda:InvokeFunction on the exact function ARN invoked, qualifier included)";
                case "ResourceNotFoundException" -> " (check the function name, qualifier and region)";
                case "ExpiredTokenException" ->
                    " (AWS still rejected the credentials after they were renewed once; "
                            + "a redelivery assumes the role again)";
                default -> "";
            };
            return new LambdaServiceException(
                    request.functionName(),
                    code,
                    aws.statusCode(),
                    aws.requestId(),
                    verdict.retryable(),
                    verdict.mayHaveRun(),
                    "Lambda refused to invoke " + function + ": " + code + " (HTTP " + aws.statusCode() + ")" + hint
                            + ": " + message + (verdict.mayHaveRun() ? " [the function may have run]" : ""),
                    aws);
        }
        SdkException sdk = AwsErrors.cause(error, SdkException.class);
        Throwable cause = sdk != null ? sdk : error;
        boolean timedOut = AwsErrors.cause(error, ApiCallTimeoutException.class) != null;
        String what = timedOut
                ? "Lambda did not answer within apiCallTimeout for "
                : verdict.mayHaveRun()
                        ? "The connection to Lambda failed after the request was sent for "
                        : "Could not send the request to Lambda for ";
        return new LambdaServiceException(
                request.functionName(),
                null,
                0,
                null,
                verdict.retryable(),
                verdict.mayHaveRun(),
                what + function + ": " + cause.getMessage()
                        + (verdict.mayHaveRun() ? " [the function may have run]" : ""),
                cause);
    }
}
