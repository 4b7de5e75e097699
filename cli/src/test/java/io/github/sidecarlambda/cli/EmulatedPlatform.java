package io.github.sidecarlambda.cli;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import io.github.sidecarlambda.emulator.AwsEmulator;
import io.github.sidecarlambda.emulator.SeedScenario;

/**
 * The seed scenario plus the operator's onboarding identity: a user of the platform account that may write, read and
 * delete parameters and create, read, write and relabel secrets (the platform role java_proxy may only read them).
 */
final class EmulatedPlatform {
    static final String ONBOARDING_USER = "arn:aws:iam::" + SeedScenario.PLATFORM_ACCOUNT + ":user/onboarding";

    private EmulatedPlatform() {}

    static AwsEmulator start() {
        return SeedScenario.builder()
                .account(
                        SeedScenario.PLATFORM_ACCOUNT,
                        a -> a.user(
                                "onboarding",
                                "AKIAONBOARDING000001",
                                "onboarding-secret-key-0123456789abcdef0123",
                                "{\"Version\": \"2012-10-17\",\"Statement\": [{\"Effect\": \"Allow\",\"Action\": "
                                        + "[\"ssm:PutParameter\",\"ssm:GetParameter\",\"ssm:DeleteParameter\"],"
                                        + "\"Resource\": \"arn:aws:ssm:*:" + SeedScenario.PLATFORM_ACCOUNT
                                        + ":parameter/*\"},"
                                        + "{\"Effect\": \"Allow\",\"Action\": [\"secretsmanager:CreateSecret\",\"secretsmanager:GetSecretValue\","
                                        + "\"secretsmanager:PutSecretValue\",\"secretsmanager:UpdateSecretVersionStage\"],"
                                        + "\"Resource\": \"arn:aws:secretsmanager:*:" + SeedScenario.PLATFORM_ACCOUNT
                                        + ":secret:*\"}]}"))
                .start();
    }

    static AwsCredentialsProvider onboarding(AwsEmulator aws) {
        return aws.credentialsFor(ONBOARDING_USER);
    }

    static AwsCredentialsProvider platform(AwsEmulator aws) {
        return aws.credentialsFor(SeedScenario.PLATFORM_ROLE_ARN);
    }

    /** The AWS options that point a command at the emulator. */
    static String[] at(AwsEmulator aws) {
        return new String[] {"--endpoint-url", aws.endpoint().toString(), "--region", SeedScenario.REGION};
    }
}
