package io.github.sidecarlambda.cli;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ssm.SsmClient;

import io.github.sidecarlambda.ParameterName;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.credentials.ExternalId;

/**
 * {@code external-id create} and {@code external-id rotate}: the External ID, encrypted, in the operator's Parameter
 * Store or Secrets Manager ({@code --store}). A rotation stages the new value beside the current one so the customer
 * can trust both before the platform switches.
 */
@Command(
        name = "external-id",
        description = "Create or rotate a customer's External ID in Parameter Store.",
        subcommands = {ExternalIdCommand.Create.class, ExternalIdCommand.Rotate.class})
final class ExternalIdCommand {

    /** Where a rotation stages the next External ID until {@code external-id rotate} makes it current. */
    static final String PENDING_SUFFIX = ".pending";

    /** 48 characters of 64 symbols = 288 bits; letters, digits, '_' and '-' are all in STS's alphabet and need no quoting. */
    static final int LENGTH = 48;

    private static final char[] SYMBOLS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExternalIdCommand() {}

    static String generate() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = SYMBOLS[RANDOM.nextInt(SYMBOLS.length)];
        }
        String id = new String(out);
        if (!ExternalId.isValid(id)) {
            throw new IllegalStateException("generated External ID outside STS's alphabet");
        }
        return id;
    }

    static ParameterName key(String raw) {
        return ParameterName.parse("key", raw, true);
    }

    static String pendingName(ParameterName key) {
        return key.value() + PENDING_SUFFIX;
    }

    @Command(
            name = "create",
            description = {
                "Generate a random External ID and store it encrypted (Parameter Store: a SecureString; Secrets Manager: a secret).",
                "Prints it once, for the customer. Refuses to overwrite an existing key. With --rotate, stages a new value beside",
                "the current one (<key>" + PENDING_SUFFIX
                        + ", or the secret's AWSPENDING version); after the customer trusts both,",
                "'external-id rotate <key>' switches."
            })
    static final class Create implements Callable<Integer> {
        @Parameters(paramLabel = "<key>", description = "<customer>/<environment>/<key>, e.g. acme/prod/trustKey")
        String key;

        @Option(
                names = "--rotate",
                description = "Stage a new External ID for an existing key (see 'external-id rotate').")
        boolean rotate;

        @Option(
                names = "--kms-key-id",
                paramLabel = "<key id>",
                description = "KMS key to encrypt with (default: the account's aws/ssm or aws/secretsmanager key).")
        String kmsKeyId;

        @Mixin
        ExternalIdStoreOption store;

        @Mixin
        AwsOptions aws;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ParameterName name;
            try {
                name = key(key);
            } catch (SidecarLambdaConfigurationException e) {
                err.println("✗ " + e.getMessage());
                return SidecarLambdaCli.FINDINGS;
            }
            String value = generate();
            try (ExternalIdStoreOption.Handle handle = store.open(aws, name)) {
                if (rotate ? !handle.stage(value, kmsKeyId) : !handle.create(value, kmsKeyId)) {
                    err.println(
                            rotate
                                    ? "✗ " + handle.describe(false)
                                            + " does not exist: there is nothing to rotate. Create it without --rotate."
                                    : "✗ " + handle.describe(false)
                                            + " already exists; it was not changed. To replace its External ID, "
                                            + "stage a new one with --rotate (the customer must trust it before it is used).");
                    return SidecarLambdaCli.FINDINGS;
                }
                err.println("Stored encrypted as " + handle.describe(rotate) + ".");
                err.println(
                        "WARNING: this External ID is shown once and is not logged. Give it to the customer over the "
                                + "channel you use for secrets; it goes into their trust policy ('policy trust').");
                out.println(value);
                if (rotate) {
                    err.println("Next: the customer trusts both the current and the new External ID "
                            + "('policy trust --include-pending'), then run 'external-id rotate " + key + "'.");
                }
                return 0;
            } catch (AwsServiceException e) {
                err.println("✗ storing the External ID failed: " + code(e) + ": "
                        + e.awsErrorDetails().errorMessage());
                return SidecarLambdaCli.FINDINGS;
            }
        }
    }

    @Command(
            name = "rotate",
            description = {
                "Make the staged External ID current (Parameter Store: <key>" + PENDING_SUFFIX
                        + " is copied over <key> and "
                        + "deleted; Secrets Manager: AWSCURRENT moves to the AWSPENDING version, the old one becomes AWSPREVIOUS).",
                "Run it after the customer's trust policy accepts both; routes pick it up without restart."
            })
    static final class Rotate implements Callable<Integer> {
        @Parameters(paramLabel = "<key>", description = "<customer>/<environment>/<key>, e.g. acme/prod/trustKey")
        String key;

        @Mixin
        ExternalIdStoreOption store;

        @Mixin
        AwsOptions aws;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ParameterName name;
            try {
                name = key(key);
            } catch (SidecarLambdaConfigurationException e) {
                err.println("✗ " + e.getMessage());
                return SidecarLambdaCli.FINDINGS;
            }
            try (ExternalIdStoreOption.Handle handle = store.open(aws, name)) {
                if (!handle.promote()) {
                    err.println("✗ no staged External ID (" + handle.describe(true) + "): run 'external-id create "
                            + key + " --rotate' first.");
                    return SidecarLambdaCli.FINDINGS;
                }
                err.println("✓ " + handle.describe(false) + " now holds the new External ID; the stage is cleared.");
                err.println(
                        "Routes switch on their next credential refresh, or at once if STS refuses the old ID. When "
                                + "'preflight' passes, the customer removes the old External ID from the trust policy.");
                return 0;
            } catch (AwsServiceException e) {
                err.println("✗ rotation of " + name + " failed: " + code(e) + ": "
                        + e.awsErrorDetails().errorMessage());
                return SidecarLambdaCli.FINDINGS;
            }
        }
    }

    static boolean exists(SsmClient ssm, String name) {
        try {
            ssm.getParameter(b -> b.name(name));
            return true;
        } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
            return false;
        }
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null
                ? String.valueOf(e.statusCode())
                : e.awsErrorDetails().errorCode();
    }
}
