package io.github.sidecarlambda.emulator;

/** What a {@link LambdaHandler} learns about the invocation. */
public interface InvocationContext {
    /** The function ARN as invoked, qualifier included when one was given. */
    String functionArn();

    /** "$LATEST" or the published version number that ran. */
    String executedVersion();

    /** The principal that signed the invoke request. */
    String callerArn();

    /** Decoded X-Amz-Client-Context JSON, or null. */
    String clientContextJson();

    /** Appends a line to the invocation's log (returned base64 in X-Amz-Log-Result with LogType=Tail). */
    void log(String line);
}
