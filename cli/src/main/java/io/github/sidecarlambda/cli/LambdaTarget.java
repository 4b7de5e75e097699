package io.github.sidecarlambda.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.sidecarlambda.FunctionName;
import io.github.sidecarlambda.SidecarLambdaConfigurationException;

/**
 * The function a route invokes, resolved to the ARN Lambda authorizes: Lambda checks {@code lambda:InvokeFunction}
 * against the ARN actually invoked, and an unqualified ARN does not cover a version or alias of the function (Lambda
 * Developer Guide, "Versioning, aliases and resource policies": a permission on the unqualified name "is valid only for
 * invoking ... using the unqualified function ARN").
 */
record LambdaTarget(String partition, String region, String account, String name, String qualifier) {

    private static final Pattern PARTS = Pattern.compile(
            "(?:arn:(?<partition>aws[a-zA-Z-]*):lambda:(?<region>[a-z0-9-]+):(?<arnAccount>\\d{12}):function:)?"
                    + "(?:(?<account>\\d{12}):function:)?(?<name>[a-zA-Z0-9-_.]+)(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9-_]+))?");

    /**
     * @param function  as the route gives it (validated with the component's {@link FunctionName})
     * @param qualifier the endpoint's qualifier option, if any; must agree with one written in the name
     * @param account   needed unless the function is an ARN
     * @param region    needed unless the function is a full ARN
     */
    static LambdaTarget of(String function, String qualifier, String account, String region) {
        FunctionName.parse(function);
        Matcher m = PARTS.matcher(function);
        if (!m.matches()) {
            throw new SidecarLambdaConfigurationException(
                    "function", "cannot resolve '" + function + "' to a Lambda ARN");
        }
        String acct = m.group("arnAccount") != null
                ? m.group("arnAccount")
                : m.group("account") != null ? m.group("account") : account;
        String reg = m.group("region") != null ? m.group("region") : region;
        if (acct == null || !acct.matches("\\d{12}")) {
            throw new SidecarLambdaConfigurationException(
                    "account",
                    "the function's 12-digit account is required (--account) unless the function is given as an ARN");
        }
        if (reg == null || reg.isBlank()) {
            throw new SidecarLambdaConfigurationException(
                    "region",
                    "the function's region is required (--region) unless the function is given as a full ARN");
        }
        String inName = m.group("qualifier");
        if (inName != null && qualifier != null && !inName.equals(qualifier)) {
            throw new SidecarLambdaConfigurationException(
                    "qualifier",
                    "'" + qualifier + "' differs from the qualifier '" + inName + "' in the function '" + function
                            + "'");
        }
        String partition = m.group("partition") != null ? m.group("partition") : "aws";
        return new LambdaTarget(partition, reg, acct, m.group("name"), inName != null ? inName : qualifier);
    }

    String unqualifiedArn() {
        return "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + name;
    }

    /** The ARN Lambda authorizes for this invocation. */
    String invokedArn() {
        return qualifier == null ? unqualifiedArn() : unqualifiedArn() + ":" + qualifier;
    }
}
