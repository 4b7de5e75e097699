package io.github.sidecarlambda.emulator;

/** Code of an emulated Lambda function. Throwing makes the invocation a function error ("Unhandled"). */
@FunctionalInterface
public interface LambdaHandler {
    byte[] handle(byte[] payload, InvocationContext ctx) throws Exception;
}
