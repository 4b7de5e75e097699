package io.github.sidecarlambda.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * {@code camel-sidecar-lambda-cli}: onboards a customer of the sidecar-lambda component. Generates and stores the
 * External ID, writes the customer's trust and permission policies, lints the policies the customer sends back, and
 * checks the whole chain (platform identity, Parameter Store, AssumeRole, Lambda DryRun) step by step.
 */
@Command(
        name = "camel-sidecar-lambda-cli",
        mixinStandardHelpOptions = true,
        version = "camel-sidecar-lambda-cli 0.1.0",
        description =
                "Onboard a customer of the sidecar-lambda Camel component: External ID, policies, lint, preflight.",
        subcommands = {ExternalIdCommand.class, PolicyCommand.class, PreflightCommand.class})
public final class SidecarLambdaCli implements Runnable {

    /** Exit code for a check or lint that found errors (picocli uses 2 for usage errors, 1 for exceptions). */
    static final int FINDINGS = 3;

    private final AwsCredentialsProvider credentials;

    public SidecarLambdaCli() {
        this(null);
    }

    /**
     * @param credentials the platform identity to use instead of the AWS SDK's default chain (or {@code --profile});
     *                    null for the chain
     */
    public SidecarLambdaCli(AwsCredentialsProvider credentials) {
        this.credentials = credentials;
    }

    AwsCredentialsProvider credentialsOverride() {
        return credentials;
    }

    /** A command line for this tool, ready to {@code execute(args)}. */
    public static CommandLine commandLine(SidecarLambdaCli cli) {
        return new CommandLine(cli).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(commandLine(new SidecarLambdaCli()).execute(args));
    }
}
