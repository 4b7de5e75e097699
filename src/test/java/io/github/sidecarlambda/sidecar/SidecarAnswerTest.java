package io.github.sidecarlambda.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.sidecarlambda.SidecarPoint;
import io.github.sidecarlambda.testing.SidecarSchemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The answer parser against the public contract's sample answers (src/test/resources/sidecar/fixtures) and against
 * malformed answers: every sample parses and satisfies the schema; every malformed answer is refused as a whole, and
 * the schema refuses it too.
 */
class SidecarAnswerTest {

    static List<String> fixtures(String prefix) {
        return List.of(
                        "pre-allow",
                        "pre-terminate-message",
                        "pre-terminate-json",
                        "pre-add-headers",
                        "pre-drop-headers",
                        "pre-json-payload",
                        "pre-binary-payload",
                        "pre-complete-with-code",
                        "pre-change-route",
                        "pre-relay",
                        "post-terminate",
                        "post-code")
                .stream()
                .filter(n -> n.startsWith(prefix))
                .toList();
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = SidecarAnswerTest.class.getResourceAsStream("/sidecar/fixtures/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> preFixtures() {
        return fixtures("pre-");
    }

    static List<String> postFixtures() {
        return fixtures("post-");
    }

    @ParameterizedTest
    @MethodSource("preFixtures")
    void everyPublicPreProcessorSampleParsesAndSatisfiesTheSchema(String name) throws Exception {
        String json = fixture(name);
        assertThat(SidecarSchemas.preAnswer(json)).isEmpty();
        SidecarAnswer.parse(json.getBytes(StandardCharsets.UTF_8), SidecarPoint.PreProcessor);
    }

    @ParameterizedTest
    @MethodSource("postFixtures")
    void everyPublicPostProcessorSampleParsesAndSatisfiesTheSchema(String name) throws Exception {
        String json = fixture(name);
        assertThat(SidecarSchemas.postAnswer(json)).isEmpty();
        SidecarAnswer.parse(json.getBytes(StandardCharsets.UTF_8), SidecarPoint.PostProcessor);
    }

    @Test
    void theSamplesMeanWhatTheContractSays() throws Exception {
        assertThat(parse("pre-allow").isContinue()).isTrue();

        SidecarAnswer message = parse("pre-terminate-message");
        assertThat(message.terminate.code()).isEqualTo(453);
        assertThat(new String(message.terminate.body().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("<h1><![CDATA[Access is denied due to an ACL on a resource]]></h1>");
        assertThat(message.terminate.headers()).containsEntry("Content-Type", "application/xml");

        SidecarAnswer json = parse("pre-terminate-json");
        assertThat(new String(json.terminate.body().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"b\",\"c\":\"d\"}");
        assertThat(json.terminate.body().json()).isTrue();

        SidecarAnswer add = parse("pre-add-headers");
        assertThat(add.unchangedUntil).isEqualTo(Instant.parse("2019-10-08T12:59:57Z"));
        assertThat(add.modify.addHeaders()).containsEntry("x-afklm-bearing", "326 degrees of inner turbulence");

        assertThat(parse("pre-drop-headers").modify.dropHeaders()).containsExactly("authorization", "x-afklm-market");
        assertThat(new String(parse("pre-binary-payload").modify.body().bytes(), StandardCharsets.UTF_8))
                .isEqualTo("afklmrules\n");
        assertThat(parse("pre-complete-with-code").modify.completeWithCode()).isEqualTo(202);
        assertThat(parse("pre-change-route").modify.changeRoute().host()).isEqualTo("apex.salesforce.com");
        assertThat(parse("pre-relay").relay).containsEntry("cache-region", "EU");
        assertThat(SidecarAnswer.parse(
                                fixture("post-code").getBytes(StandardCharsets.UTF_8), SidecarPoint.PostProcessor)
                        .modify
                        .code())
                .isEqualTo(299);
    }

    @Test
    void jsonWinsOverPayloadAndTerminateOverModify() throws Exception {
        SidecarAnswer a = SidecarAnswer.parse(
                ("{\"terminate\":{\"code\":401},\"modify\":{\"addHeaders\":{\"a\":\"b\"}}," + "\"relay\":{\"k\":1}}")
                        .getBytes(StandardCharsets.UTF_8),
                SidecarPoint.PreProcessor);
        assertThat(a.terminate.code()).isEqualTo(401);
        assertThat(a.modify).isNull();

        SidecarAnswer b = SidecarAnswer.parse(
                "{\"modify\":{\"payload\":\"text\",\"json\":{\"x\":[1,true,null]}}}".getBytes(StandardCharsets.UTF_8),
                SidecarPoint.PreProcessor);
        assertThat(new String(b.modify.body().bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":[1,true,null]}");
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("[]", SidecarPoint.PreProcessor),
                Arguments.of("\"allow\"", SidecarPoint.PreProcessor),
                Arguments.of("{\"terminate\":{}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"terminate\":{\"code\":\"403\"}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"terminate\":{\"code\":99}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"terminate\":{\"code\":403,\"message\":301}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"terminate\":true}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"addHeaders\":{\"x-a\":{\"nested\":1}}}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"addHeaders\":{\"bad header\":\"v\"}}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"dropHeaders\":\"authorization\"}}", SidecarPoint.PreProcessor),
                Arguments.of(
                        "{\"modify\":{\"addHeaders\":{\"x-ok\":\"1\"},\"changeRoute\":{\"port\":\"port=4567\"}}}",
                        SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"changeRoute\":{\"port\":70000}}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"completeWithCode\":true}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"code\":299}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"modify\":{\"completeWithCode\":202}}", SidecarPoint.PostProcessor),
                Arguments.of("{\"modify\":{\"code\":\"301\"}}", SidecarPoint.PostProcessor),
                Arguments.of("{\"relay\":{\"a\":1}}", SidecarPoint.PostProcessor),
                Arguments.of("{\"modify\":{\"json\":\"text\"}}", SidecarPoint.PreProcessor),
                Arguments.of(
                        "{\"modify\":{\"base64Encoded\":\"yes\",\"payload\":\"eA==\"}}", SidecarPoint.PreProcessor),
                Arguments.of("{\"unchangedUntil\":\"Unexpected date format\"}", SidecarPoint.PreProcessor),
                Arguments.of("{\"unchangedUntil\":301}", SidecarPoint.PreProcessor));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedAnswerIsRefusedAsAWholeAndTheSchemaAgrees(String json, SidecarPoint point) {
        assertThatThrownBy(() -> SidecarAnswer.parse(json.getBytes(StandardCharsets.UTF_8), point))
                .isInstanceOf(SidecarAnswer.Invalid.class);
        assertThat(
                        point == SidecarPoint.PreProcessor
                                ? SidecarSchemas.preAnswer(json)
                                : SidecarSchemas.postAnswer(json))
                .isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"modify\":{\"payload\":\"%%%\",\"base64Encoded\":true}}"})
    void whatNoSchemaCanSayIsRefusedToo(String text) {
        assertThatThrownBy(() -> SidecarAnswer.parse(text.getBytes(StandardCharsets.UTF_8), SidecarPoint.PreProcessor))
                .isInstanceOf(SidecarAnswer.Invalid.class);
    }

    private static SidecarAnswer parse(String fixture) throws Exception {
        return SidecarAnswer.parse(fixture(fixture).getBytes(StandardCharsets.UTF_8), SidecarPoint.PreProcessor);
    }
}
