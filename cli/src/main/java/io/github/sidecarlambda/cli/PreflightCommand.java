package io.github.sidecarlambda.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

import io.github.sidecarlambda.ParameterName;
import io.github.sidecarlambda.PreflightReport;
import io.github.sidecarlambda.RoleArn;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;
import io.github.sidecarlambda.credentials.ExternalId;

/**
 * {@code preflight}: runs the component's chain once, step by step, as the platform identity: who am I
 * ({@code GetCallerIdentity}), the External ID (from Parameter Store or Secrets Manager, with decryption), {@code AssumeRole} with it (and
 * once without it, which must be refused), and a Lambda {@code DryRun} invoke (checks the permission, runs nothing).
 */
@Command(
        name = "preflight",
        description = {
            "Check the chain a route uses, step by step, and say for a failed step its likely cause and the fix.",
            "Exit code 0: every step passed; " + SidecarLambdaCli.FINDINGS + ": a step failed."
        })
final class PreflightCommand implements Callable<Integer> {

    static final String SESSION_NAME = "sidecar-preflight";

    @Option(names = "--role-arn", required = true, paramLabel = "<arn>", description = "The customer's role")
    String roleArn;

    @Option(
            names = "--external-id-key",
            required = true,
            paramLabel = "<key>",
            description = "Parameter holding the External ID, <customer>/<environment>/<key>")
    String externalIdKey;

    @Option(
            names = "--function",
            required = true,
            paramLabel = "<arn or name>",
            description = "The function, as the route names it")
    String function;

    @Option(names = "--qualifier", paramLabel = "<alias or version>", description = "The qualifier the route invokes")
    String qualifier;

    @Option(
            names = "--function-region",
            paramLabel = "<region>",
            description = "The function's region when --function is not a full ARN (default: --region)")
    String functionRegion;

    @Option(
            names = "--role-name-prefix",
            defaultValue = PolicyCommand.DEFAULT_PREFIX,
            paramLabel = "<prefix>",
            description = "The prefix the component requires (default: ${DEFAULT-VALUE}; empty disables).")
    String prefix;

    @Mixin
    ExternalIdStoreOption store;

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PreflightReport report =
                new PreflightReport(roleArn + ", External ID " + externalIdKey + ", function " + function);
        run(report);
        spec.commandLine().getOut().println(report.render());
        return report.ok() ? 0 : SidecarLambdaCli.FINDINGS;
    }

    private void run(PreflightReport report) {
        RoleArn role;
        ParameterName key;
        LambdaTarget target;
        try {
            role = RoleArn.parse(roleArn).requireNamePrefix(prefix);
            key = ParameterName.parse("external-id-key", externalIdKey, true);
            target = LambdaTarget.of(
                    function, qualifier, role.accountId(), functionRegion != null ? functionRegion : aws.region);
        } catch (SidecarLambdaConfigurationException e) {
            report.failed(
                    "configuration",
                    "refused before any AWS call",
                    e.getMessage(),
                    "correct the value (the component refuses it the same way at endpoint creation)");
            skipRest(report, "platform identity", "External ID", "assume role", "invoke permission");
            return;
        }
        report.passed(
                "configuration",
                "role name starts with '" + prefix + "'; parameter " + key + "; Lambda authorizes "
                        + target.invokedArn());

        String caller;
        // GetCallerIdentity needs no permission (STS API Reference), so it tests the credentials alone
        try (StsClient sts = aws.sts()) {
            caller = sts.getCallerIdentity().arn();
            report.passed("platform identity", caller + " (GetCallerIdentity)");
        } catch (SdkException e) {
            report.failed(
                    "platform identity",
                    "GetCallerIdentity failed: " + describe(e),
                    "the platform has no valid AWS credentials (none found, expired, or unknown to AWS)",
                    "run where the platform runs, or set AWS_PROFILE / --profile to the platform identity");
            skipRest(report, "External ID", "assume role", "invoke permission");
            return;
        }

        String externalId;
        String pendingValue;
        try (ExternalIdStoreOption.Handle handle = store.open(aws, key)) {
            java.util.Optional<String> current = handle.read(false);
            if (current.isEmpty()) {
                report.failed(
                        "External ID",
                        "read " + handle.describe(false) + ": not found",
                        "no " + handle.describe(false) + " in the platform account " + accountOf(caller) + ", region "
                                + regionName() + " (names are case-sensitive)",
                        "create it: external-id create " + externalIdKey + storeArgument());
                skipRest(report, "assume role", "invoke permission");
                return;
            }
            externalId = current.get();
            try {
                pendingValue = handle.read(true).orElse(null);
            } catch (AwsServiceException e) {
                pendingValue = null; // no rotation staged, or not readable: only used to narrow down a denial
            }
            if (!ExternalId.isValid(externalId)) {
                report.failed(
                        "External ID",
                        handle.describe(false),
                        "the value is not an External ID STS accepts (2-1224 characters of [A-Za-z0-9_+=,.@:/-])",
                        "replace it: external-id create " + externalIdKey + " --rotate, then external-id rotate");
                skipRest(report, "assume role", "invoke permission");
                return;
            }
            report.passed(
                    "External ID",
                    handle.describe(false) + ", read with decryption ("
                            + (store.store == ExternalIdStoreOption.Store.secretsManager
                                    ? "GetSecretValue, AWSCURRENT)"
                                    : "GetParameter)"));
        } catch (AwsServiceException e) {
            String code = ExternalIdCommand.code(e);
            if ("AccessDeniedException".equals(code)) {
                report.failed(
                        "External ID",
                        "read " + key + ": AccessDeniedException",
                        caller + " may not read " + key + " ("
                                + (store.store == ExternalIdStoreOption.Store.secretsManager
                                        ? "secretsmanager:GetSecretValue"
                                        : "ssm:GetParameter")
                                + "), or not decrypt it (kms:Decrypt "
                                + "on its key)",
                        "allow the read and kms:Decrypt on its KMS key to the platform identity "
                                + "(docs/operator-guide.md)");
            } else {
                report.failed(
                        "External ID",
                        "read " + key + ": " + describe(e),
                        "the store refused the read",
                        "see docs/troubleshooting.md for " + code);
            }
            skipRest(report, "assume role", "invoke permission");
            return;
        } catch (SdkException e) {
            report.failed(
                    "External ID",
                    "read " + key + ": " + describe(e),
                    "the store is not reachable",
                    "check the network / --endpoint-url and --region");
            skipRest(report, "assume role", "invoke permission");
            return;
        }

        Credentials credentials;
        try (StsClient sts = aws.sts()) {
            credentials = assume(sts, role, externalId);
            if (credentials == null) {
                narrowDenial(report, sts, role, key, caller, pendingValue);
                skipRest(report, "invoke permission");
                return;
            }
            if (assume(sts, role, null) != null) {
                report.failed(
                        "assume role",
                        "AssumeRole with the External ID: allowed; without it: allowed too",
                        "the trust policy does not require the External ID: anyone the platform can be made to assume "
                                + "this role for gets in (confused deputy)",
                        "the customer adds \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": ...}} (policy trust; "
                                + "check it with policy lint)");
                skipRest(report, "invoke permission");
                return;
            }
            report.passed(
                    "assume role", role + " with the External ID (AssumeRole); without it: denied, as it must be");
        } catch (SdkException e) {
            report.failed(
                    "assume role",
                    "AssumeRole: " + describe(e),
                    "STS refused or failed the call for another " + "reason than the trust policy",
                    "see docs/troubleshooting.md");
            skipRest(report, "invoke permission");
            return;
        }

        var session = StaticCredentialsProvider.create(AwsSessionCredentials.create(
                credentials.accessKeyId(), credentials.secretAccessKey(), credentials.sessionToken()));
        try (LambdaClient lambda = aws.lambda(target.region(), session)) {
            // DryRun: Lambda validates the request and checks the caller may invoke, without running the function
            int status = lambda.invoke(
                            b -> b.functionName(function).qualifier(qualifier).invocationType(InvocationType.DRY_RUN))
                    .statusCode();
            report.passed(
                    "invoke permission", "DryRun of " + target.invokedArn() + ": " + status + " (Invoke, nothing ran)");
        } catch (AwsServiceException e) {
            String code = ExternalIdCommand.code(e);
            if ("AccessDeniedException".equals(code)) {
                report.failed(
                        "invoke permission",
                        "DryRun of " + target.invokedArn() + ": AccessDeniedException",
                        "the role may not call lambda:InvokeFunction on " + target.invokedArn()
                                + (target.qualifier() != null
                                        ? " (an unqualified function ARN does not cover the qualifier '"
                                                + target.qualifier() + "')"
                                        : ""),
                        "the customer attaches the policy from: policy invoke --function " + target.unqualifiedArn()
                                + (target.qualifier() != null ? " --qualifier " + target.qualifier() : ""));
            } else if ("ResourceNotFoundException".equals(code)) {
                report.failed(
                        "invoke permission",
                        "DryRun of " + target.invokedArn() + ": ResourceNotFoundException",
                        "no such function" + (target.qualifier() != null ? " or qualifier" : "") + " in account "
                                + target.account() + ", region " + target.region(),
                        "check the function name, qualifier and region with the customer");
            } else {
                report.failed(
                        "invoke permission",
                        "DryRun: " + describe(e),
                        "Lambda refused the call",
                        "see docs/troubleshooting.md for " + code);
            }
        } catch (SdkException e) {
            report.failed(
                    "invoke permission",
                    "DryRun: " + describe(e),
                    "Lambda not reachable",
                    "check the network / --endpoint-url and the function's region");
        }
    }

    /** AssumeRole; null when STS answers AccessDenied. */
    private static Credentials assume(StsClient sts, RoleArn role, String externalId) {
        try {
            return sts.assumeRole(b -> b.roleArn(role.toString())
                            .roleSessionName(SESSION_NAME)
                            .externalId(externalId)
                            .durationSeconds(900))
                    .credentials();
        } catch (AwsServiceException e) {
            if ("AccessDenied".equals(ExternalIdCommand.code(e))) {
                return null;
            }
            throw e;
        }
    }

    /** AWS's AccessDenied is the same for every trust failure: probe what can be probed, then list the rest. */
    private void narrowDenial(
            PreflightReport report,
            StsClient sts,
            RoleArn role,
            ParameterName key,
            String caller,
            String pendingValue) {
        if (pendingValue != null && ExternalId.isValid(pendingValue) && assume(sts, role, pendingValue) != null) {
            report.failed(
                    "assume role",
                    "AssumeRole with the External ID under " + key + ": AccessDenied; with the "
                            + "staged one: allowed",
                    "the customer's trust policy accepts only the new External ID, not the current one",
                    "external-id rotate " + externalIdKey + storeArgument()
                            + " (or the customer trusts both until then)");
            return;
        }
        if (assume(sts, role, null) != null) {
            report.failed(
                    "assume role",
                    "AssumeRole with the External ID: AccessDenied; without one: allowed",
                    "the trust policy refuses this External ID yet admits requests without one (a negated or IfExists "
                            + "condition on sts:ExternalId)",
                    "the customer uses the trust policy from 'policy trust' (check it with 'policy lint')");
            return;
        }
        report.failed(
                "assume role",
                "AssumeRole with the External ID: AccessDenied; without it: AccessDenied",
                "AWS does not say which check failed; most likely first: the trust policy's sts:ExternalId is not the "
                        + "value under " + key + "; its Principal is not the platform role " + roleOf(caller)
                        + "; the role "
                        + role.roleName() + " does not exist in account " + role.accountId()
                        + "; the platform identity may not "
                        + "call sts:AssumeRole on it",
                "regenerate the trust policy (policy trust --platform-principal " + roleOf(caller)
                        + " --external-id-key " + externalIdKey
                        + "), have the customer lint and paste it; check the role ARN");
    }

    private static void skipRest(PreflightReport report, String... names) {
        for (String n : names) {
            report.skipped(n, "skipped");
        }
    }

    private String storeArgument() {
        return store.store == ExternalIdStoreOption.Store.secretsManager ? " --store secretsManager" : "";
    }

    private String regionName() {
        return aws.region != null ? aws.region : "(SDK default)";
    }

    private static String accountOf(String arn) {
        String[] p = arn.split(":", 6);
        return p.length > 4 ? p[4] : "?";
    }

    /** arn:aws:sts::A:assumed-role/R/S becomes arn:aws:iam::A:role/R (a role's path is not in the session ARN). */
    static String roleOf(String callerArn) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "arn:([^:]+):sts::(\\d{12}):assumed-role/([^/]+)/.*")
                .matcher(callerArn);
        return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : callerArn;
    }

    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
            return a.awsErrorDetails().errorCode() + " (" + a.awsErrorDetails().errorMessage() + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
