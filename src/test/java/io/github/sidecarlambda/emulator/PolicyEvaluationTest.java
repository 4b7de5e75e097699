package io.github.sidecarlambda.emulator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * IAM's evaluation rules on policy documents: explicit Deny wins, default deny, and every condition operator the
 * emulator implements, checked against the examples of the IAM User Guide ("IAM JSON policy elements: Condition
 * operators", "Conditions with multiple context keys or values", "Multivalued context key examples"). Also what the
 * emulator refuses at load, so that nothing it cannot evaluate is ever taken as "no match".
 */
class PolicyEvaluationTest {

    private static final Policy.Caller PLATFORM = new Policy.Caller(
            "arn:aws:sts::809167139867:assumed-role/java_proxy/s",
            "809167139867",
            "arn:aws:iam::809167139867:role/java_proxy",
            false);

    private static Policy.Decision trust(String json, Map<String, List<String>> context) {
        return Policy.parse(json, Policy.Kind.TRUST).evaluateTrust(PLATFORM, "sts:AssumeRole", context, new boolean[1]);
    }

    /** One condition, as written in a policy, against a request context. */
    private static boolean holds(String operator, String key, String valueJson, Map<String, List<String>> context) {
        return Policy.Condition.parse(operator, key, valueJson).holds(context);
    }

    private static Map<String, List<String>> ctx(String key, String... values) {
        return Map.of(key, List.of(values));
    }

    private static final Map<String, List<String>> NONE = Map.of();

    private static String denyWith(String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\",\"Condition\":"
                + condition + "}]}";
    }

    @Test
    void explicitDenyBeatsAllowAndNothingMeansNo() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"lambda:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:*:*:function:Secret*\"}]}";
        Policy p = Policy.parse(policy, Policy.Kind.IDENTITY);
        assertThat(p.evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:Open", NONE))
                .isEqualTo(Policy.Decision.ALLOW);
        assertThat(p.evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:SecretOne", NONE))
                .isEqualTo(Policy.Decision.DENY);
        assertThat(Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                        .evaluate("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:1:function:Open", NONE))
                .isEqualTo(Policy.Decision.NONE);
    }

    @Test
    void stringNotEqualsOnTheExternalIdAndStringLikeOnThePrincipal() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"809167139867\"},\"Action\":\"sts:AssumeRole\","
                + "\"Condition\":{\"StringNotEquals\":{\"sts:ExternalId\":\"revoked-id\"},"
                + "\"StringLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::809167139867:role/java_*\"}}}]}";
        List<String> arn = List.of(PLATFORM.principalArn());
        assertThat(trust(policy, Map.of("sts:ExternalId", List.of("good-id"), "aws:PrincipalArn", arn)))
                .isEqualTo(Policy.Decision.ALLOW);
        assertThat(trust(policy, Map.of("sts:ExternalId", List.of("revoked-id"), "aws:PrincipalArn", arn)))
                .isEqualTo(Policy.Decision.NONE);
        // StringNotEquals on an absent key matches, as in IAM: no External ID is not "revoked-id"
        assertThat(trust(policy, Map.of("aws:PrincipalArn", arn))).isEqualTo(Policy.Decision.ALLOW);
        // condition key names are case-insensitive
        assertThat(trust(policy, Map.of("STS:externalid", List.of("revoked-id"), "AWS:PRINCIPALARN", arn)))
                .isEqualTo(Policy.Decision.NONE);
    }

    // ------------------------------------------------------------------------------------------ refused at load

    @Test
    void aDenyWithAnUnknownOperatorOrAnUnmodelledKeyIsRefusedNotIgnored() {
        assertThatThrownBy(() ->
                        Policy.parse(denyWith("{\"StringEqualsFoo\":{\"aws:SourceIp\":\"x\"}}"), Policy.Kind.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("StringEqualsFoo");
        assertThatThrownBy(() -> Policy.parse(
                        denyWith("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc\"}}"), Policy.Kind.IDENTITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws:PrincipalOrgID");
        assertThatThrownBy(() -> Policy.parse(
                        denyWith("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"x\"}}"), Policy.Kind.IDENTITY))
                .hasMessageContaining("aws:PrincipalTag/team");
        assertThatThrownBy(
                        () -> Policy.parse(denyWith("{\"Bool\":{\"ssm:Overwrite\":\"true\"}}"), Policy.Kind.IDENTITY))
                .hasMessageContaining("ssm:Overwrite");
        // operator names are exact; a set qualifier or IfExists does not make an unknown operator known
        assertThatThrownBy(() ->
                        Policy.parse(denyWith("{\"stringequals\":{\"aws:SourceIp\":\"x\"}}"), Policy.Kind.IDENTITY))
                .hasMessageContaining("stringequals");
        assertThatThrownBy(() -> Policy.parse(
                        denyWith("{\"ForAnyValue:BinaryEqualsIfExists\":{\"aws:SourceIp\":\"eA==\"}}"),
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("BinaryEquals");
        // a known key in any case, with a known operator, loads
        assertThatCode(() -> Policy.parse(
                        denyWith("{\"NotIpAddress\":{\"AWS:sourceip\":\"10.0.0.0/8\"}}"), Policy.Kind.IDENTITY))
                .doesNotThrowAnyException();
    }

    @Test
    void elementsOutsideThePolicyGrammarAreRefused() {
        String ok = "{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\"}";
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[" + ok + "],"
                                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}",
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("Condition");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
                                + "\"Action\":\"lambda:*\",\"Resource\":\"*\",\"Conditions\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}",
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("Conditions");
        assertThatThrownBy(() ->
                        Policy.parse("{\"Version\":\"2012-10-18\",\"Statement\":[" + ok + "]}", Policy.Kind.IDENTITY))
                .hasMessageContaining("2012-10-18");
        assertThatCode(() -> Policy.parse(
                        "{\"Version\":\"2008-10-17\",\"Id\":\"x\",\"Statement\":[" + ok + "]}", Policy.Kind.IDENTITY))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Statement\":{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"111111111111\"},"
                                + "\"Action\":\"sts:AssumeRole\"}}",
                        Policy.Kind.TRUST))
                .hasMessageContaining("NotPrincipal");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},"
                                + "\"Action\":\"lambda:*\",\"Resource\":\"*\"}}",
                        Policy.Kind.IDENTITY))
                .hasMessage("Policy document should not specify a principal.");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},"
                                + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}}",
                        Policy.Kind.TRUST))
                .hasMessage("Has prohibited field Resource");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"lambda:*\"}}", Policy.Kind.IDENTITY))
                .hasMessage("Policy statement must contain resources.");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Robot\":\"r2\"},"
                                + "\"Action\":\"sts:AssumeRole\"}}",
                        Policy.Kind.TRUST))
                .hasMessageContaining("Robot");
        // policy variables are not implemented: refused in 2012-10-17, literal text in 2008-10-17 as in IAM
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\","
                                + "\"Action\":\"lambda:*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
                                + "{\"aws:PrincipalAccount\":\"${aws:RequestedRegion}\"}}}}",
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("${aws:RequestedRegion}");
        assertThatCode(() -> Policy.parse(
                        "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                                + "\"Action\":\"lambda:*\",\"Resource\":\"arn:aws:lambda:*:*:function:${x}\"}}",
                        Policy.Kind.IDENTITY))
                .doesNotThrowAnyException();
    }

    @Test
    void conditionValuesThatCannotBeComparedAreRefused() {
        assertThatThrownBy(() -> Policy.Condition.parse("DateGreaterThan", "aws:CurrentTime", "\"yesterday\""))
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> Policy.Condition.parse("IpAddress", "aws:SourceIp", "\"10.0.0.0/33\""))
                .hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> Policy.Condition.parse("IpAddress", "aws:SourceIp", "\"localhost\""))
                .hasMessageContaining("localhost");
        assertThatThrownBy(() -> Policy.Condition.parse("NumericLessThan", "aws:EpochTime", "\"ten\""))
                .hasMessageContaining("ten");
        assertThatThrownBy(() -> Policy.Condition.parse("Bool", "aws:SecureTransport", "\"yes\""))
                .hasMessageContaining("yes");
        assertThatThrownBy(() -> Policy.Condition.parse("ArnLike", "aws:PrincipalArn", "\"*\""))
                .hasMessageContaining("six colon-separated parts");
        // "You can add IfExists to the end of any condition operator name except the Null condition"
        assertThatThrownBy(() -> Policy.Condition.parse("NullIfExists", "aws:TokenIssueTime", "\"true\""))
                .hasMessageContaining("NullIfExists");
        assertThatThrownBy(() -> Policy.Condition.parse("ForAnyValue:Null", "aws:TokenIssueTime", "\"true\""))
                .hasMessageContaining("ForAnyValue:Null");
    }

    @Test
    void aStatementOnlyForServicesTheEmulatorDoesNotServeKeepsItsServiceKeys() throws Exception {
        // the operator guide's platform policy: kms:Decrypt with kms:ViaService is never evaluated by the emulator
        String guide = Files.readString(Path.of("docs/operator-guide.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(guide);
        String block = null;
        while (m.find()) {
            if (m.group(1).contains("\"kms:ViaService\"")) {
                block = m.group(1);
            }
        }
        assertThat(block).isNotNull();
        Policy platform = Policy.parse(block, Policy.Kind.IDENTITY);
        assertThat(platform.evaluate(
                        "ssm:GetParameter", "arn:aws:ssm:us-east-1:809167139867:parameter/acme/prod/trustKey", NONE))
                .isEqualTo(Policy.Decision.ALLOW);
        // the same key on a statement that can match STS, SSM or Lambda actions is refused
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\","
                                + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":"
                                + "\"ssm.us-east-1.amazonaws.com\"}}}}",
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("kms:ViaService");
        assertThatThrownBy(() -> Policy.parse(
                        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\","
                                + "\"Action\":\"s*:Get*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:ViaService\":"
                                + "\"x\"}}}}",
                        Policy.Kind.IDENTITY))
                .hasMessageContaining("kms:ViaService");
    }

    // ------------------------------------------------------------------------------------------ operators

    @Test
    void stringOperators() {
        assertThat(holds(
                        "StringEquals",
                        "aws:PrincipalAccount",
                        "\"809167139867\"",
                        ctx("aws:PrincipalAccount", "809167139867")))
                .isTrue();
        assertThat(holds("StringEquals", "sts:RoleSessionName", "\"Sidecar\"", ctx("sts:RoleSessionName", "sidecar")))
                .isFalse();
        assertThat(holds(
                        "StringEqualsIgnoreCase",
                        "sts:RoleSessionName",
                        "\"Sidecar\"",
                        ctx("sts:RoleSessionName", "sidecar")))
                .isTrue();
        assertThat(holds(
                        "StringNotEqualsIgnoreCase",
                        "sts:RoleSessionName",
                        "\"Sidecar\"",
                        ctx("sts:RoleSessionName", "sidecar")))
                .isFalse();
        assertThat(holds(
                        "StringLike", "sts:RoleSessionName", "\"side?ar-*\"", ctx("sts:RoleSessionName", "sidecar-42")))
                .isTrue();
        assertThat(holds("StringLike", "sts:RoleSessionName", "\"side?ar-*\"", ctx("sts:RoleSessionName", "sidecar42")))
                .isFalse();
        assertThat(holds("StringNotLike", "sts:RoleSessionName", "\"side*\"", ctx("sts:RoleSessionName", "other")))
                .isTrue();
        // StringEquals has no wildcards
        assertThat(holds("StringEquals", "sts:RoleSessionName", "\"side*\"", ctx("sts:RoleSessionName", "sidecar")))
                .isFalse();
        // several values: OR; for a negated operator: NOR
        assertThat(holds("StringEquals", "sts:ExternalId", "[\"old\",\"new\"]", ctx("sts:ExternalId", "new")))
                .isTrue();
        assertThat(holds("StringNotEquals", "sts:ExternalId", "[\"old\",\"new\"]", ctx("sts:ExternalId", "new")))
                .isFalse();
        assertThat(holds("StringNotEquals", "sts:ExternalId", "[\"old\",\"new\"]", ctx("sts:ExternalId", "other")))
                .isTrue();
    }

    @Test
    void absentKeysNegatedOperatorsAndIfExists() {
        // "If the key ... is not present in the request context, the values do not match and the condition is false.
        // If the policy condition requires that the key is not matched ... the condition is true."
        assertThat(holds("StringEquals", "sts:ExternalId", "\"x\"", NONE)).isFalse();
        assertThat(holds("StringNotEquals", "sts:ExternalId", "\"x\"", NONE)).isTrue();
        assertThat(holds("StringNotLike", "sts:ExternalId", "\"x*\"", NONE)).isTrue();
        assertThat(holds("ArnNotLike", "aws:SourceArn", "\"arn:aws:sns:*:*:*\"", NONE))
                .isTrue();
        assertThat(holds("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/8\"", NONE))
                .isTrue();
        assertThat(holds("NumericNotEquals", "aws:MultiFactorAuthAge", "\"0\"", NONE))
                .isTrue();
        assertThat(holds("DateNotEquals", "aws:TokenIssueTime", "\"2020-01-01\"", NONE))
                .isTrue();
        assertThat(holds("IpAddress", "aws:SourceIp", "\"10.0.0.0/8\"", NONE)).isFalse();
        assertThat(holds("Bool", "aws:MultiFactorAuthPresent", "\"false\"", NONE))
                .isFalse();
        // IfExists: absent -> true; present -> the operator decides
        assertThat(holds("BoolIfExists", "aws:MultiFactorAuthPresent", "\"false\"", NONE))
                .isTrue();
        assertThat(holds(
                        "BoolIfExists",
                        "aws:MultiFactorAuthPresent",
                        "\"true\"",
                        ctx("aws:MultiFactorAuthPresent", "false")))
                .isFalse();
        assertThat(holds("StringEqualsIfExists", "sts:ExternalId", "\"x\"", ctx("sts:ExternalId", "y")))
                .isFalse();
    }

    @Test
    void nullChecksPresence() {
        // {"Null":{"aws:TokenIssueTime":"true"}}: the caller is not using temporary credentials
        assertThat(holds("Null", "aws:TokenIssueTime", "\"true\"", NONE)).isTrue();
        assertThat(holds("Null", "aws:TokenIssueTime", "\"true\"", ctx("aws:TokenIssueTime", "2024-01-01T00:00:00Z")))
                .isFalse();
        assertThat(holds("Null", "aws:TokenIssueTime", "\"false\"", ctx("aws:TokenIssueTime", "2024-01-01T00:00:00Z")))
                .isTrue();
        assertThat(holds("Null", "aws:TokenIssueTime", "false", NONE)).isFalse();
    }

    @Test
    void forAllValuesAndForAnyValueAsTheUserGuideTabulates() {
        // "Evaluation logic for condition set operators": policy values PostDateTime, Message, Tags
        String allowed = "[\"PostDateTime\",\"Message\",\"Tags\"]";
        String key = "dynamodb:requestedAttributes";
        assertThat(holds("ForAllValues:StringLike", key, allowed, ctx(key, "PostDateTime", "Message")))
                .isTrue();
        assertThat(holds("ForAllValues:StringLike", key, allowed, ctx(key, "PostDateTime", "UserName")))
                .isFalse();
        // ForAnyValue: Deny PutItem on ID or PostDateTime
        String forbidden = "[\"ID\",\"PostDateTime\"]";
        assertThat(holds("ForAnyValue:StringLike", key, forbidden, ctx(key, "UserName", "Message", "PostDateTime")))
                .isTrue();
        assertThat(holds("ForAnyValue:StringLike", key, forbidden, ctx(key, "UserName")))
                .isFalse();
        // "If the key values in the request resolve to an empty data set ... ForAllValues returns true, and ...
        // ForAnyValue returns false."
        assertThat(holds("ForAllValues:StringLike", key, allowed, NONE)).isTrue();
        assertThat(holds("ForAllValues:StringLike", key, allowed, Map.of(key, List.of())))
                .isTrue();
        assertThat(holds("ForAnyValue:StringLike", key, forbidden, NONE)).isFalse();
        assertThat(holds("ForAnyValue:StringLikeIfExists", key, forbidden, NONE))
                .isTrue();
        // "Multivalued context key examples": Deny with "ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}
        String tags = "aws:TagKeys";
        assertThat(holds("ForAllValues:StringNotLike", tags, "\"key1*\"", ctx(tags, "key1:legal")))
                .isFalse();
        assertThat(holds("ForAllValues:StringNotLike", tags, "\"key1*\"", ctx(tags, "key1:hr", "key1:personnel")))
                .isFalse();
        assertThat(holds("ForAllValues:StringNotLike", tags, "\"key1*\"", ctx(tags, "key2:audit")))
                .isTrue();
        assertThat(holds("ForAllValues:StringNotLike", tags, "\"key1*\"", NONE)).isTrue();
    }

    @Test
    void ipAddressRangesIpv4AndIpv6() {
        // {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}: 203.0.113.0 to 203.0.113.255
        assertThat(holds("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", ctx("aws:SourceIp", "203.0.113.255")))
                .isTrue();
        assertThat(holds("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", ctx("aws:SourceIp", "203.0.114.0")))
                .isFalse();
        assertThat(holds("NotIpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", ctx("aws:SourceIp", "203.0.114.0")))
                .isTrue();
        String mixed = "[\"203.0.113.0/24\",\"2001:DB8:1234:5678::/64\"]";
        assertThat(holds("IpAddress", "aws:SourceIp", mixed, ctx("aws:SourceIp", "2001:db8:1234:5678:abcd::1")))
                .isTrue();
        assertThat(holds("IpAddress", "aws:SourceIp", mixed, ctx("aws:SourceIp", "2001:db8:1234:5679::1")))
                .isFalse();
        // "If you specify an IP address without the associated routing prefix, IAM uses the default prefix value of
        // /32"
        assertThat(holds("IpAddress", "aws:SourceIp", "\"123.45.167.89\"", ctx("aws:SourceIp", "123.45.167.89")))
                .isTrue();
        assertThat(holds("IpAddress", "aws:SourceIp", "\"123.45.167.89\"", ctx("aws:SourceIp", "123.45.167.88")))
                .isFalse();
        assertThat(holds("IpAddress", "aws:SourceIp", "\"0.0.0.0/0\"", ctx("aws:SourceIp", "::1")))
                .isFalse();
    }

    @Test
    void datesIsoOrEpochAndNumbers() {
        // {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}}: credentials issued in 2020 or later
        String after = "\"2020-01-01T00:00:01Z\"";
        assertThat(holds(
                        "DateGreaterThan",
                        "aws:TokenIssueTime",
                        after,
                        ctx("aws:TokenIssueTime", "2020-06-01T12:00:00Z")))
                .isTrue();
        assertThat(holds(
                        "DateGreaterThan",
                        "aws:TokenIssueTime",
                        after,
                        ctx("aws:TokenIssueTime", "2020-01-01T00:00:01Z")))
                .isFalse();
        assertThat(holds(
                        "DateGreaterThanEquals",
                        "aws:TokenIssueTime",
                        after,
                        ctx("aws:TokenIssueTime", "2020-01-01T00:00:01Z")))
                .isTrue();
        // epoch seconds and W3C forms (date only, minutes, offset) on either side
        assertThat(holds(
                        "DateEquals",
                        "aws:EpochTime",
                        "\"2020-01-01T01:00+01:00\"",
                        ctx("aws:EpochTime", "1577836800")))
                .isTrue();
        assertThat(holds(
                        "DateLessThan",
                        "aws:CurrentTime",
                        "\"1577836800\"",
                        ctx("aws:CurrentTime", "2019-12-31T23:59:59Z")))
                .isTrue();
        assertThat(holds(
                        "DateLessThanEquals",
                        "aws:CurrentTime",
                        "\"2020-01-01\"",
                        ctx("aws:CurrentTime", "2020-01-01T00:00:01Z")))
                .isFalse();
        assertThat(holds(
                        "DateNotEquals",
                        "aws:CurrentTime",
                        "\"2020-01\"",
                        ctx("aws:CurrentTime", "2020-01-01T00:00:00Z")))
                .isFalse();
        // all digits are epoch seconds, so "2020" is 1970-01-01T00:33:40Z, not the year 2020
        assertThat(holds("DateLessThan", "aws:CurrentTime", "\"2020\"", ctx("aws:CurrentTime", "1970-01-01T00:30:00Z")))
                .isTrue();
        // aws:EpochTime also works with numeric operators
        assertThat(holds("NumericLessThan", "aws:EpochTime", "\"1577836800\"", ctx("aws:EpochTime", "1577836799")))
                .isTrue();
        assertThat(holds("NumericLessThanEquals", "aws:EpochTime", "10", ctx("aws:EpochTime", "10")))
                .isTrue();
        assertThat(holds("NumericGreaterThan", "aws:EpochTime", "\"2.5\"", ctx("aws:EpochTime", "3")))
                .isTrue();
        assertThat(holds("NumericGreaterThanEquals", "aws:EpochTime", "\"2.5\"", ctx("aws:EpochTime", "2")))
                .isFalse();
        assertThat(holds("NumericEquals", "aws:EpochTime", "\"10\"", ctx("aws:EpochTime", "10.0")))
                .isTrue();
        assertThat(holds("NumericNotEquals", "aws:EpochTime", "\"10\"", ctx("aws:EpochTime", "11")))
                .isTrue();
        // a request value that is no number or date matches nothing
        assertThat(holds("NumericLessThan", "aws:SourceIp", "\"10\"", ctx("aws:SourceIp", "127.0.0.1")))
                .isFalse();
    }

    @Test
    void boolAndArnOperators() {
        // {"Bool": {"aws:SecureTransport": "false"}} on a plain-HTTP request
        assertThat(holds("Bool", "aws:SecureTransport", "\"false\"", ctx("aws:SecureTransport", "false")))
                .isTrue();
        assertThat(holds("Bool", "aws:SecureTransport", "false", ctx("aws:SecureTransport", "true")))
                .isFalse();
        // the User Guide's ArnLike example: StringLike matches across colons, ArnLike compares part by part
        String pattern = "\"arn:aws:someservice:*:111122223333:finance/*\"";
        Map<String, List<String>> request = ctx(
                "aws:SourceArn",
                "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt");
        assertThat(holds("StringLike", "aws:SourceArn", pattern, request)).isTrue();
        assertThat(holds("ArnLike", "aws:SourceArn", pattern, request)).isFalse();
        assertThat(holds("ArnNotLike", "aws:SourceArn", pattern, request)).isTrue();
        Map<String, List<String>> role = ctx("aws:PrincipalArn", "arn:aws:iam::809167139867:role/java_proxy");
        assertThat(holds("ArnLike", "aws:PrincipalArn", "\"arn:aws:iam::*:role/java_*\"", role))
                .isTrue();
        // "The ArnEquals and ArnLike condition operators behave identically"
        assertThat(holds("ArnEquals", "aws:PrincipalArn", "\"arn:aws:iam::8091671398??:role/*\"", role))
                .isTrue();
        assertThat(holds("ArnNotEquals", "aws:PrincipalArn", "\"arn:aws:iam::809167139867:role/java_proxy\"", role))
                .isFalse();
        assertThat(holds(
                        "ArnLike",
                        "aws:PrincipalArn",
                        "\"arn:aws:iam::*:role/java_*\"",
                        ctx("aws:PrincipalArn", "not-an-arn")))
                .isFalse();
    }

    @Test
    void operatorsAndKeysAreAndedValuesOred() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"809167139867\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{"
                + "\"StringEquals\":{\"sts:ExternalId\":[\"a1\",\"b2\"],\"aws:PrincipalType\":\"AssumedRole\"},"
                + "\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.0/8\"}}}]}";
        Map<String, List<String>> good = Map.of(
                "sts:ExternalId",
                List.of("b2"),
                "aws:PrincipalType",
                List.of("AssumedRole"),
                "aws:SourceIp",
                List.of("127.0.0.1"));
        assertThat(trust(policy, good)).isEqualTo(Policy.Decision.ALLOW);
        assertThat(trust(
                        policy,
                        Map.of(
                                "sts:ExternalId",
                                List.of("b2"),
                                "aws:PrincipalType",
                                List.of("User"),
                                "aws:SourceIp",
                                List.of("127.0.0.1"))))
                .isEqualTo(Policy.Decision.NONE);
        assertThat(trust(
                        policy,
                        Map.of(
                                "sts:ExternalId",
                                List.of("b2"),
                                "aws:PrincipalType",
                                List.of("AssumedRole"),
                                "aws:SourceIp",
                                List.of("10.1.2.3"))))
                .isEqualTo(Policy.Decision.NONE);
    }
}
