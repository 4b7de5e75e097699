package io.github.sidecarlambda;

/**
 * The function ran and failed: Lambda answered HTTP 200 with {@code X-Amz-Function-Error}. Raised when
 * {@code throwOnFunctionError=true} (the default) so a function error is never mistaken for a success.
 */
public class FunctionErrorException extends SidecarLambdaException {

    private static final long serialVersionUID = 1L;

    private final String function;
    private final String functionError;
    private final String errorType;
    private final String errorMessage;
    private final String payload;
    private final String executedVersion;

    public FunctionErrorException(
            String function,
            String functionError,
            String errorType,
            String errorMessage,
            String payload,
            String executedVersion) {
        super("Function " + function + " failed (" + functionError + "): " + (errorType != null ? errorType + ": " : "")
                + abbreviate(errorMessage != null ? errorMessage : payload));
        this.function = function;
        this.functionError = functionError;
        this.errorType = errorType;
        this.errorMessage = errorMessage;
        this.payload = payload;
        this.executedVersion = executedVersion;
    }

    /** Messages end up in logs: at most 1 KB of the function's words there; the whole payload is in getPayload(). */
    private static String abbreviate(String text) {
        return text == null || text.length() <= 1024
                ? text
                : text.substring(0, 1024) + "... (" + text.length() + " chars)";
    }

    public String getFunction() {
        return function;
    }

    /** The {@code X-Amz-Function-Error} header: {@code Unhandled} or {@code Handled}. */
    public String getFunctionError() {
        return functionError;
    }

    /** {@code errorType} from the function's error payload, or null if the payload had none. */
    public String getErrorType() {
        return errorType;
    }

    /** {@code errorMessage} from the function's error payload, or null if the payload had none. */
    public String getErrorMessage() {
        return errorMessage;
    }

    /** The raw response payload (UTF-8). */
    public String getPayload() {
        return payload;
    }

    public String getExecutedVersion() {
        return executedVersion;
    }
}
