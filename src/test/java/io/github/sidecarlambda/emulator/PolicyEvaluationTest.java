package io.github.sidecarlambda.emulator;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** IAM's evaluation rules on policy documents written like the seed's: explicit Deny wins, default deny, operators. */
class PolicyEvaluationTest {

    private static final Policy.Caller PLATFORM = new Policy.Caller(
            "arn:aws:sts::809167139867:assumed-role/java_proxy/s", "809167139867",
            "arn:aws:iam::809167139867:role/java_proxy", false);

    private static Policy.Decision trust(String json, Map<String, String> context) {
        return Policy.parse(json).evaluateTrust(PLATFORM, "sts:AssumeRole", context, new boolean[1]);
    }

    @Test
    void explicitDenyBeatsAllowAndNothingMeansNo() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                        + "{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"},"
                        + "{\"Effect\":\"Deny\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:*:*:function:Secret*\"}]}";
        Policy p = Policy.parse(policy);
        assertThat(p.evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:Open", Map.of()))
                .isEqualTo(Policy.Decision.ALLOW);
        assertThat(p.evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:SecretOne", Map.of()))
                .isEqualTo(Policy.Decision.DENY);
        assertThat(Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:Open", Map.of()))
                .isEqualTo(Policy.Decision.NONE);
    }

    @Test
    void stringNotEqualsOnTheExternalIdAndStringLikeOnThePrincipal() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"809167139867\"},\"Action\":\"sts:AssumeRole\","
                        + "\"Condition\":{\"StringNotEquals\":{\"sts:ExternalId\":\"revoked-id\"},"
                        + "\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::809167139867:role/java_*\"}}}]}";
        Map<String, String> principal = Map.of("aws:PrincipalArn", PLATFORM.principalArn());
        assertThat(trust(policy, Map.of("sts:ExternalId", "good-id", "aws:PrincipalArn", PLATFORM.principalArn())))
                .isEqualTo(Policy.Decision.ALLOW);
        assertThat(trust(policy, Map.of("sts:ExternalId", "revoked-id", "aws:PrincipalArn", PLATFORM.principalArn())))
                .isEqualTo(Policy.Decision.NONE);
        // StringNotEquals on an absent key matches, as in IAM: no External ID is not "revoked-id"
        assertThat(trust(policy, principal)).isEqualTo(Policy.Decision.ALLOW);
    }
}
