package io.github.sidecarlambda.emulator;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathResponse;
import software.amazon.awssdk.services.ssm.model.HierarchyLevelLimitExceededException;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterAlreadyExistsException;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import static io.github.sidecarlambda.emulator.SeedScenario.*;
import static io.github.sidecarlambda.emulator.TestClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SsmEmulatorTest {
    static final String ADMIN_ARN = "arn:aws:iam::809167139867:user/admin";
    static AwsEmulator emu;

    @BeforeAll
    static void start() {
        emu = SeedScenario.builder()
                .account(
                        PLATFORM_ACCOUNT,
                        a -> a.user(
                                "admin",
                                "AKIAADMIN00000000001",
                                "adminSecret000000000000000000000000000000",
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ssm:*\",\"Resource\":\"*\"},"
                                        + "{\"Effect\":\"Deny\",\"Action\":\"ssm:Get*\",\"Resource\":\"arn:aws:ssm:*:*:parameter/forbidden/*\"}]}"))
                .start();
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    static SsmClient admin() {
        return TestClients.ssm(emu.endpoint(), emu.credentialsFor(ADMIN_ARN));
    }

    @Test
    void seedExternalIdReadableByPlatformRoleWithDecryption() {
        try (SsmClient ssm = TestClients.ssm(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN))) {
            Parameter p = ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER).withDecryption(true))
                    .parameter();
            assertThat(p.value()).isEqualTo(EXTERNAL_ID);
            assertThat(p.type()).isEqualTo(ParameterType.SECURE_STRING);
            assertThat(p.arn()).isEqualTo("arn:aws:ssm:us-east-1:809167139867:parameter/acme/prod/trustKey");
            assertThat(p.version()).isEqualTo(1L);
            assertThat(p.lastModifiedDate()).isNotNull();
            Parameter enc = ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)).parameter();
            assertThat(enc.value())
                    .isNotEqualTo(EXTERNAL_ID)
                    .doesNotContain(EXTERNAL_ID)
                    .startsWith("AQICA");
            // by ARN too
            assertThat(ssm.getParameter(b -> b.name(p.arn()).withDecryption(true))
                            .parameter()
                            .value())
                    .isEqualTo(EXTERNAL_ID);
        }
        assertThat(emu.calls()).allSatisfy(c -> assertThat(c.toString()).doesNotContain(EXTERNAL_ID));
    }

    @Test
    void putGetOverwriteDelete() {
        try (SsmClient ssm = admin()) {
            assertThat(ssm.putParameter(b -> b.name("/app/one").value("v1").type(ParameterType.STRING))
                            .version())
                    .isEqualTo(1L);
            assertThatThrownBy(() ->
                            ssm.putParameter(b -> b.name("/app/one").value("v2").type(ParameterType.STRING)))
                    .isInstanceOf(ParameterAlreadyExistsException.class);
            assertThat(ssm.putParameter(b -> b.name("/app/one").value("v2").overwrite(true))
                            .version())
                    .isEqualTo(2L);
            assertThat(ssm.getParameter(b -> b.name("/app/one")).parameter().value())
                    .isEqualTo("v2");
            assertThat(ssm.putParameter(b -> b.name("flat_name").value("f").type(ParameterType.STRING))
                            .version())
                    .isEqualTo(1L);
            assertThat(ssm.getParameter(b -> b.name("flat_name")).parameter().arn())
                    .isEqualTo("arn:aws:ssm:us-east-1:809167139867:parameter/flat_name");
            ssm.deleteParameter(b -> b.name("/app/one"));
            assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/app/one")))
                    .isInstanceOfSatisfying(
                            ParameterNotFoundException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(400));
            assertThatThrownBy(() -> ssm.deleteParameter(b -> b.name("/app/one")))
                    .isInstanceOf(ParameterNotFoundException.class);
        }
    }

    @Test
    void putParameterVersionsAndVersionSelector() {
        try (SsmClient ssm = admin()) {
            var put = ssm.putParameter(b -> b.name("/ver/key").value("first").type(ParameterType.SECURE_STRING));
            assertThat(put.version()).isEqualTo(1L);
            assertThat(put.tierAsString()).isEqualTo("Standard");
            assertThat(ssm.putParameter(b -> b.name("/ver/key").value("second").overwrite(true))
                            .version())
                    .isEqualTo(2L);
            assertError(
                    () -> ssm.putParameter(
                            b -> b.name("/ver/key").value("third").type(ParameterType.SECURE_STRING)),
                    "ParameterAlreadyExists",
                    400,
                    "The parameter already exists.");
            // overwriting keeps the type (SecureString) when none is given
            Parameter latest = ssm.getParameter(b -> b.name("/ver/key").withDecryption(true))
                    .parameter();
            assertThat(latest.type()).isEqualTo(ParameterType.SECURE_STRING);
            assertThat(latest.value()).isEqualTo("second");
            assertThat(latest.version()).isEqualTo(2L);
            Parameter first = ssm.getParameter(b -> b.name("/ver/key:1").withDecryption(true))
                    .parameter();
            assertThat(first.name()).isEqualTo("/ver/key");
            assertThat(first.selector()).isEqualTo(":1");
            assertThat(first.value()).isEqualTo("first");
            assertThat(first.version()).isEqualTo(1L);
            assertThat(ssm.getParameter(b -> b.name(latest.arn() + ":1").withDecryption(true))
                            .parameter()
                            .value())
                    .isEqualTo("first");
            assertError(
                    () -> ssm.getParameter(b -> b.name("/ver/key:7")),
                    "ParameterVersionNotFound",
                    400,
                    "Systems Manager could not find version 7 of /ver/key. Verify the version and try again.");
            assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/ver/none:1")))
                    .isInstanceOf(ParameterNotFoundException.class);
            // a deleted and re-created parameter starts again at version 1
            ssm.deleteParameter(b -> b.name("/ver/key"));
            assertThat(ssm.putParameter(b -> b.name("/ver/key").value("again").type(ParameterType.STRING))
                            .version())
                    .isEqualTo(1L);
            assertError(() -> ssm.getParameter(b -> b.name("/ver/key:2")), "ParameterVersionNotFound", 400, null);
        }
    }

    @Test
    void getParametersReportsInvalidParameters() {
        try (SsmClient ssm = admin()) {
            ssm.putParameter(b -> b.name("/multi/a").value("A").type(ParameterType.STRING));
            ssm.putParameter(b -> b.name("/multi/b").value("B").type(ParameterType.SECURE_STRING));
            var r = ssm.getParameters(
                    b -> b.names("/multi/a", "/multi/b", "/multi/missing").withDecryption(true));
            assertThat(r.parameters()).extracting(Parameter::value).containsExactly("A", "B");
            assertThat(r.invalidParameters()).containsExactly("/multi/missing");
            var tooMany = new ArrayList<String>();
            for (int i = 0; i < 11; i++) {
                tooMany.add("/multi/x" + i);
            }
            assertError(
                    () -> ssm.getParameters(b -> b.names(tooMany)),
                    "ValidationException",
                    400,
                    "less than or equal to 10");
        }
    }

    @Test
    void getParametersByPathPagesAndRecursion() {
        try (SsmClient ssm = admin()) {
            for (int i = 0; i < 13; i++) {
                String n = String.format("/paged/p%02d", i);
                ssm.putParameter(b -> b.name(n).value("v").type(ParameterType.STRING));
            }
            ssm.putParameter(b -> b.name("/paged/deep/child").value("secret").type(ParameterType.SECURE_STRING));
            List<String> names = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String t = token;
                GetParametersByPathResponse r = ssm.getParametersByPath(
                        b -> b.path("/paged").maxResults(5).nextToken(t));
                r.parameters().forEach(p -> names.add(p.name()));
                token = r.nextToken();
                pages++;
            } while (token != null);
            assertThat(names).hasSize(13).doesNotContain("/paged/deep/child");
            assertThat(pages).isEqualTo(3);
            List<Parameter> all = new ArrayList<>();
            ssm.getParametersByPathPaginator(b -> b.path("/paged/").recursive(true))
                    .forEach(r -> all.addAll(r.parameters()));
            assertThat(all).hasSize(14);
            assertThat(all)
                    .filteredOn(p -> p.name().equals("/paged/deep/child"))
                    .singleElement()
                    .satisfies(p -> assertThat(p.value()).isNotEqualTo("secret"));
            assertError(
                    () -> ssm.getParametersByPath(b -> b.path("/paged").maxResults(11)),
                    "ValidationException",
                    400,
                    null);
        }
    }

    @Test
    void nameValidation() {
        try (SsmClient ssm = admin()) {
            assertError(
                    () -> ssm.putParameter(b -> b.name("a/b").value("x").type(ParameterType.STRING)),
                    "ValidationException",
                    400,
                    "fully qualified");
            assertError(
                    () -> ssm.putParameter(b -> b.name("/aws/thing").value("x").type(ParameterType.STRING)),
                    "ValidationException",
                    400,
                    "can't be prefixed with \"aws\" or \"ssm\"");
            assertError(
                    () -> ssm.putParameter(b -> b.name("SSMthing").value("x").type(ParameterType.STRING)),
                    "ValidationException",
                    400,
                    "prefixed");
            assertError(
                    () -> ssm.putParameter(b -> b.name("/bad name").value("x").type(ParameterType.STRING)),
                    "ValidationException",
                    400,
                    null);
            assertError(
                    () -> ssm.putParameter(
                            b -> b.name("/" + "x".repeat(2048)).value("x").type(ParameterType.STRING)),
                    "ValidationException",
                    400,
                    "2048");
            assertThatThrownBy(() -> ssm.putParameter(b -> b.name("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16")
                            .value("x")
                            .type(ParameterType.STRING)))
                    .isInstanceOf(HierarchyLevelLimitExceededException.class);
            assertError(() -> ssm.getParameter(b -> b.name("nope")), "ParameterNotFound", 400, null);
        }
    }

    @Test
    void accessDenied() {
        try (SsmClient ssm = TestClients.ssm(emu.endpoint(), emu.credentialsFor(PLATFORM_ROLE_ARN))) {
            assertError(
                    () -> ssm.putParameter(b -> b.name("/acme/new").value("x").type(ParameterType.STRING)),
                    "AccessDeniedException",
                    400,
                    "User: arn:aws:sts::809167139867:assumed-role/java_proxy/emulator-instance is not "
                            + "authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:809167139867:parameter/acme/new");
            assertError(
                    () -> ssm.getParametersByPath(b -> b.path("/acme")),
                    "AccessDeniedException",
                    400,
                    "ssm:GetParametersByPath");
        }
        try (SsmClient ssm = admin()) {
            assertError(() -> ssm.getParameter(b -> b.name("/forbidden/x")), "AccessDeniedException", 400, null);
        }
        try (SsmClient ssm = TestClients.ssm(emu.endpoint(), emu.credentialsFor(CUSTOMER_ROLE_ARN))) {
            assertError(() -> ssm.getParameter(b -> b.name(EXTERNAL_ID_PARAMETER)), "AccessDeniedException", 400, null);
        }
    }

    @Test
    void authErrorsInSsmShape() {
        try (SsmClient ssm = TestClients.ssm(
                emu.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIANOBODY0000000000", "x".repeat(40))))) {
            assertError(() -> ssm.getParameter(b -> b.name("/x")), "UnrecognizedClientException", 400, null);
        }
        try (SsmClient ssm = TestClients.ssm(
                emu.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAADMIN00000000001", "y".repeat(40))))) {
            assertError(() -> ssm.getParameter(b -> b.name("/x")), "InvalidSignatureException", 400, null);
        }
    }
}
