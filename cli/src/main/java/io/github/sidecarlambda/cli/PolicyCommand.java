package io.github.sidecarlambda.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import io.github.sidecarlambda.ParameterName;
import io.github.sidecarlambda.RoleArn;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.credentials.ExternalId;

/**
 * {@code policy trust}, {@code policy invoke}, {@code policy lint}: the customer's two policies as valid JSON on
 * standard output (the steps to create the role on standard error, so {@code > file.json} keeps only the policy),
 * and the check of what the customer sends back.
 */
@Command(
        name = "policy",
        description = "Write the customer's trust and permission policies; lint a policy.",
        subcommands = {PolicyCommand.Trust.class, PolicyCommand.Invoke.class, PolicyCommand.Lint.class})
final class PolicyCommand {

    static final String DEFAULT_PREFIX = "Boomi_sidecar_connector";

    private PolicyCommand() {}

    @Command(
            name = "trust",
            description = {
                "The customer's trust policy: only the platform principal, only with the External ID stored under the key",
                "(read with decryption from the store, see --store). The policy contains the secret: send it like one."
            })
    static final class Trust implements Callable<Integer> {
        @Option(
                names = "--platform-principal",
                required = true,
                paramLabel = "<arn>",
                description =
                        "The platform identity that assumes customer roles, e.g. arn:aws:iam::809167139867:role/java_proxy")
        String platformPrincipal;

        @Option(
                names = "--external-id-key",
                required = true,
                paramLabel = "<key>",
                description = "Parameter holding the External ID, <customer>/<environment>/<key>")
        String externalIdKey;

        @Option(
                names = "--include-pending",
                description = "Also trust the External ID staged by 'external-id create --rotate'.")
        boolean includePending;

        @Mixin
        ExternalIdStoreOption store;

        @Option(
                names = "--role-name",
                paramLabel = "<name>",
                description = "Role name for the printed steps (checked against the prefix).")
        String roleName;

        @Option(
                names = "--role-name-prefix",
                defaultValue = DEFAULT_PREFIX,
                paramLabel = "<prefix>",
                description = "The prefix the component requires (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Mixin
        AwsOptions aws;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ParameterName key;
            try {
                key = ExternalIdCommand.key(externalIdKey);
                if (!platformPrincipal.matches("arn:aws[a-zA-Z-]*:iam::\\d{12}:(role|user)/.+")) {
                    throw new SidecarLambdaConfigurationException(
                            "platform-principal",
                            "must be the ARN of the platform's IAM role or user; was '" + platformPrincipal + "'");
                }
                if (roleName != null) {
                    RoleArn.parse("arn:aws:iam::000000000000:role/" + roleName).requireNamePrefix(prefix);
                }
            } catch (SidecarLambdaConfigurationException e) {
                err.println("✗ " + e.getMessage());
                return SidecarLambdaCli.FINDINGS;
            }
            List<String> ids = new ArrayList<>();
            try (ExternalIdStoreOption.Handle handle = store.open(aws, key)) {
                ids.add(read(handle, false));
                if (includePending) {
                    ids.add(read(handle, true));
                }
            } catch (AwsServiceException e) {
                err.println("✗ cannot read the External ID: " + ExternalIdCommand.code(e) + " ("
                        + e.awsErrorDetails().errorMessage() + ")");
                return SidecarLambdaCli.FINDINGS;
            } catch (IllegalStateException e) {
                err.println("✗ " + e.getMessage());
                return SidecarLambdaCli.FINDINGS;
            }
            spec.commandLine().getOut().print(Policies.trust(platformPrincipal, ids));
            spec.commandLine().getOut().flush();
            String name = roleName != null ? roleName : prefix + "_<customer>";
            err.println();
            err.println("Create the role (the name must start with '" + prefix
                    + "'), with this policy in trust-policy.json:");
            err.println("  Console: IAM > Roles > Create role > Custom trust policy: paste it; Role name: " + name);
            err.println("  AWS CLI: aws iam create-role --role-name " + name
                    + " --assume-role-policy-document file://trust-policy.json --max-session-duration 3600");
            err.println("The policy holds the External ID: delete the file when the role exists.");
            return 0;
        }

        private static String read(ExternalIdStoreOption.Handle handle, boolean pending) {
            String v = handle.read(pending)
                    .orElseThrow(() -> new IllegalStateException(handle.describe(pending)
                            + " does not exist; create it with 'external-id create'" + (pending ? " --rotate" : "")));
            if (!ExternalId.isValid(v)) {
                throw new IllegalStateException(handle.describe(pending) + " does not hold a valid External ID (2-1224 "
                        + "characters of [A-Za-z0-9_+=,.@:/-]); create one with 'external-id create'");
            }
            return v;
        }
    }

    @Command(
            name = "invoke",
            description = {
                "The role's least-privilege permission policy: lambda:InvokeFunction on exactly the ARN the route invokes",
                "(an unqualified ARN does not cover an alias or version)."
            })
    static final class Invoke implements Callable<Integer> {
        @Option(
                names = "--function",
                required = true,
                paramLabel = "<arn or name>",
                description = "Function as the route names it: name, name:alias, account:function:name or ARN")
        String function;

        @Option(
                names = "--qualifier",
                paramLabel = "<alias or version>",
                description = "Alias or version the route invokes")
        String qualifier;

        @Option(
                names = "--account",
                paramLabel = "<12 digits>",
                description = "The customer's account (unless --function is an ARN)")
        String account;

        @Option(
                names = "--region",
                paramLabel = "<region>",
                description = "The function's region (unless --function is a full ARN)")
        String region;

        @Option(names = "--role-name", paramLabel = "<name>", description = "Role name for the printed steps.")
        String roleName;

        @Option(
                names = "--role-name-prefix",
                defaultValue = DEFAULT_PREFIX,
                paramLabel = "<prefix>",
                description = "The prefix the component requires (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            LambdaTarget target;
            try {
                target = LambdaTarget.of(function, qualifier, account, region);
                if (roleName != null) {
                    RoleArn.parse("arn:aws:iam::" + target.account() + ":role/" + roleName)
                            .requireNamePrefix(prefix);
                }
            } catch (SidecarLambdaConfigurationException e) {
                err.println("✗ " + e.getMessage());
                return SidecarLambdaCli.FINDINGS;
            }
            spec.commandLine().getOut().print(Policies.invoke(List.of(target.invokedArn())));
            spec.commandLine().getOut().flush();
            String name = roleName != null ? roleName : prefix + "_<customer>";
            String policyName = "invoke-" + target.name();
            err.println();
            err.println("Attach it to the role (in permission-policy.json):");
            err.println("  Console: IAM > Roles > " + name
                    + " > Add permissions > Create inline policy > JSON: paste it; name: " + policyName);
            err.println("  AWS CLI: aws iam put-role-policy --role-name " + name + " --policy-name " + policyName
                    + " --policy-document file://permission-policy.json");
            if (target.qualifier() == null) {
                err.println("This covers the unqualified function only: a route invoking an alias or version needs "
                        + "--qualifier.");
            }
            return 0;
        }
    }

    @Command(
            name = "lint",
            description = {
                "Check a trust or permission policy for the mistakes that break the connection or open it to others.",
                "Exit code 0: no errors (warnings may be printed); " + SidecarLambdaCli.FINDINGS + ": errors."
            })
    static final class Lint implements Callable<Integer> {
        @Parameters(paramLabel = "<file>", description = "The policy JSON ('-' for standard input)")
        String file;

        @Option(
                names = "--platform-principal",
                paramLabel = "<arn>",
                description = "The principal the trust policy must name")
        String platformPrincipal;

        @Option(
                names = "--function",
                paramLabel = "<arn>",
                description = "The function the permission policy must cover")
        String function;

        @Option(
                names = "--qualifier",
                paramLabel = "<alias or version>",
                description = "The qualifier the route invokes")
        String qualifier;

        @Option(
                names = "--account",
                paramLabel = "<12 digits>",
                description = "The function's account (unless --function is an ARN)")
        String account;

        @Option(
                names = "--region",
                paramLabel = "<region>",
                description = "The function's region (unless --function is a full ARN)")
        String region;

        @Option(
                names = "--role-arn",
                paramLabel = "<arn>",
                description = "The role the policy belongs to (its name is checked)")
        String roleArn;

        @Option(
                names = "--role-name-prefix",
                defaultValue = DEFAULT_PREFIX,
                paramLabel = "<prefix>",
                description = "The prefix the component requires (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LambdaTarget target = null;
            try {
                if (function != null) {
                    target = LambdaTarget.of(function, qualifier, account, region);
                }
            } catch (SidecarLambdaConfigurationException e) {
                err.println("✗ " + e.getMessage());
                return 2;
            }
            String text = file.equals("-")
                    ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            PolicyLinter.Result result =
                    PolicyLinter.lint(text, new PolicyLinter.Expectations(platformPrincipal, target, roleArn, prefix));
            out.println(file + ": "
                    + (result.kind() == null
                            ? "policy"
                            : result.kind() == PolicyLinter.Kind.TRUST ? "trust policy" : "permission policy"));
            for (PolicyLinter.Finding f : result.findings()) {
                out.println(f.severity() + " " + f.rule() + " at " + f.where() + ": " + f.problem());
                out.println("    fix: " + f.fix());
            }
            long errors = result.findings().stream()
                    .filter(f -> f.severity() == PolicyLinter.Severity.ERROR)
                    .count();
            out.println(errors + " error(s), " + (result.findings().size() - errors) + " warning(s)");
            return result.hasErrors() ? SidecarLambdaCli.FINDINGS : 0;
        }
    }
}
