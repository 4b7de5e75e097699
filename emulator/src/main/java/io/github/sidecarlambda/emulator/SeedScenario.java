package io.github.sidecarlambda.emulator;

/**
 * The product's seed scenario: platform account 809167139867 with role java_proxy (reads SSM parameters and Secrets
 * Manager secrets of its own account, may assume any role), customer account 641769673540 with role Boomi_sidecar_connector_acme (trusts
 * java_proxy with External ID {@link #EXTERNAL_ID}, may invoke {@link #FUNCTION_ARN} only), SecureString
 * {@link #EXTERNAL_ID_PARAMETER} in the platform account, and the echo function {@link #FUNCTION_NAME}: it logs
 * "START echo" and returns {"statusCode":200,"body":&lt;input payload as JSON&gt;,"function":"SideCarJsonResponse"}.
 */
public final class SeedScenario {
    public static final String PLATFORM_ACCOUNT = "809167139867";
    public static final String PLATFORM_ROLE_ARN = "arn:aws:iam::809167139867:role/java_proxy";
    public static final String CUSTOMER_ACCOUNT = "641769673540";
    public static final String CUSTOMER_ROLE_ARN = "arn:aws:iam::641769673540:role/Boomi_sidecar_connector_acme";
    public static final String REGION = "us-east-1";
    public static final String EXTERNAL_ID_PARAMETER = "/acme/prod/trustKey";
    public static final String EXTERNAL_ID = "111122223333pqrst";
    public static final String FUNCTION_NAME = "SideCarJsonResponse";
    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:641769673540:function:SideCarJsonResponse";

    private SeedScenario() {}

    /** The scenario, not yet started; callers may add more before start(). */
    public static AwsEmulator.Builder builder() {
        AwsEmulator.Builder b = AwsEmulator.builder()
                .account(PLATFORM_ACCOUNT, a -> a.role("/", "java_proxy", platformTrustPolicy(), platformPolicy()))
                .account(
                        CUSTOMER_ACCOUNT,
                        a -> a.role(
                                "/",
                                "Boomi_sidecar_connector_acme",
                                trustPolicy(PLATFORM_ROLE_ARN, EXTERNAL_ID),
                                invokePolicy(FUNCTION_ARN)))
                .parameter(PLATFORM_ACCOUNT, REGION, EXTERNAL_ID_PARAMETER, EXTERNAL_ID, true)
                .function(
                        FunctionSpec.of(CUSTOMER_ACCOUNT, REGION, FUNCTION_NAME, BuiltinHandlers.echo(FUNCTION_NAME)));
        b.launcherPrincipal = PLATFORM_ROLE_ARN;
        return b;
    }

    /** Seed-shaped trust policy JSON. */
    public static String trustPolicy(String platformPrincipalArn, String externalId) {
        return "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Principal\": {\"AWS\": "
                + Json.quote(platformPrincipalArn)
                + "},\"Action\": \"sts:AssumeRole\",\"Condition\": {\"StringEquals\": "
                + "{\"sts:ExternalId\": " + Json.quote(externalId) + "}}}]}";
    }

    /** lambda:InvokeFunction on exactly those ARNs. */
    public static String invokePolicy(String... functionArns) {
        StringBuilder arns = new StringBuilder();
        for (String a : functionArns) {
            arns.append(arns.length() == 0 ? "" : ",").append(Json.quote(a));
        }
        return "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Action\": \"lambda:InvokeFunction\","
                + "\"Resource\": [" + arns + "]}]}";
    }

    static String platformPolicy() {
        return "{\"Version\": \"2012-10-17\",\"Statement\": ["
                + "{\"Effect\": \"Allow\",\"Action\": [\"ssm:GetParameter\",\"ssm:GetParameters\"],"
                + "\"Resource\": \"arn:aws:ssm:*:" + PLATFORM_ACCOUNT + ":parameter/*\"},"
                + "{\"Effect\": \"Allow\",\"Action\": \"secretsmanager:GetSecretValue\","
                + "\"Resource\": \"arn:aws:secretsmanager:*:" + PLATFORM_ACCOUNT + ":secret:*\"},"
                + "{\"Effect\": \"Allow\",\"Action\": \"sts:AssumeRole\",\"Resource\": \"arn:aws:iam::*:role/*\"}]}";
    }

    /** java_proxy is an instance/task role: trusted by the compute service. */
    static String platformTrustPolicy() {
        return "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Principal\": {\"Service\": "
                + "\"ecs-tasks.amazonaws.com\"},\"Action\": \"sts:AssumeRole\"}]}";
    }
}
