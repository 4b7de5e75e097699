package io.github.sidecarlambda.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Loads a seed file (format documented in docs/emulator.md) into a builder. */
final class SeedLoader {
    private SeedLoader() {}

    static void load(Path file, AwsEmulator.Builder b) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode root = Json.parse(text);
        for (JsonNode acct : root.field("accounts").map(JsonNode::asArray).orElse(List.of())) {
            String id = req(acct, "id");
            b.account(id, a -> {
                for (JsonNode r : acct.field("roles").map(JsonNode::asArray).orElse(List.of())) {
                    int max = Json.str(r, "maxSessionDuration")
                            .map(Integer::parseInt)
                            .orElse(3600);
                    a.role(
                            Json.str(r, "path").orElse("/"),
                            req(r, "name"),
                            max,
                            policyText(r.field("trustPolicy")
                                    .orElseThrow(() -> new IllegalArgumentException(
                                            "role " + Json.str(r, "name").orElse("?") + " has no trustPolicy"))),
                            policies(r));
                }
                for (JsonNode u : acct.field("users").map(JsonNode::asArray).orElse(List.of())) {
                    a.user(req(u, "name"), req(u, "accessKeyId"), req(u, "secretAccessKey"), policies(u));
                }
                for (JsonNode o :
                        acct.field("oidcProviders").map(JsonNode::asArray).orElse(List.of())) {
                    a.oidcProvider(
                            req(o, "url"),
                            o.field("clientIds")
                                    .map(Json::strings)
                                    .orElse(List.of())
                                    .toArray(new String[0]));
                }
            });
        }
        for (JsonNode p : root.field("parameters").map(JsonNode::asArray).orElse(List.of())) {
            b.parameter(
                    req(p, "account"),
                    Json.str(p, "region").orElse("us-east-1"),
                    req(p, "name"),
                    req(p, "value"),
                    Json.bool(p, "secure").orElse(false));
        }
        for (JsonNode f : root.field("functions").map(JsonNode::asArray).orElse(List.of())) {
            String name = req(f, "name");
            String behaviour =
                    Json.str(f, "behaviour").or(() -> Json.str(f, "behavior")).orElse("echo");
            LambdaHandler h;
            switch (behaviour) {
                case "echo":
                    h = BuiltinHandlers.echo(name);
                    break;
                case "fail":
                    h = BuiltinHandlers.fail(Json.str(f, "errorMessage").orElse("Simulated failure in " + name));
                    break;
                case "static":
                    h = BuiltinHandlers.fixed(
                            f.field("response").map(Json::write).orElse("null"));
                    break;
                default:
                    h = SidecarHandlers.byName(behaviour, f);
                    if (h == null) {
                        throw new IllegalArgumentException(
                                "Unknown function behaviour " + behaviour + " (echo, fail, static, sidecar-*)");
                    }
            }
            FunctionSpec spec =
                    FunctionSpec.of(req(f, "account"), Json.str(f, "region").orElse("us-east-1"), name, h);
            Json.str(f, "latencyMs").ifPresent(ms -> spec.latency(Duration.ofMillis(Long.parseLong(ms))));
            for (String v : f.field("versions").map(Json::strings).orElse(List.of())) {
                spec.version(v, h);
            }
            f.field("aliases")
                    .filter(JsonNode::isObject)
                    .ifPresent(al -> al.asObject().forEach((alias, ver) -> spec.alias(alias, ver.asString())));
            b.function(spec);
        }
        Json.str(root, "launcherPrincipal").ifPresent(p -> b.launcherPrincipal = p);
        root.field("quotas")
                .filter(JsonNode::isObject)
                .ifPresent(q -> q.asObject().forEach((name, value) -> {
                    String v = value.isString() ? value.asString() : value.text();
                    switch (name) {
                        case "enabled" -> b.quotas(x -> x.enabled(Boolean.parseBoolean(v)));
                        case "lambdaConcurrentExecutions" ->
                            b.quotas(x -> x.lambdaConcurrentExecutions(Integer.parseInt(v)));
                        case "ssmStandardThroughput" -> b.quotas(x -> x.ssmStandardThroughput(Double.parseDouble(v)));
                        case "ssmHigherThroughput" -> b.quotas(x -> x.ssmHigherThroughput(Boolean.parseBoolean(v)));
                        case "stsAssumeRole" -> b.quotas(x -> x.stsAssumeRole(Double.parseDouble(v)));
                        default ->
                            throw new IllegalArgumentException(
                                    "Seed file: unknown quota '" + name + "' (enabled, "
                                            + "lambdaConcurrentExecutions, ssmStandardThroughput, ssmHigherThroughput, stsAssumeRole)");
                    }
                }));
    }

    private static String req(JsonNode n, String field) {
        return Json.str(n, field)
                .orElseThrow(
                        () -> new IllegalArgumentException("Seed file: missing '" + field + "' in " + Json.write(n)));
    }

    private static String policyText(JsonNode n) {
        return n.isString() ? n.asString() : Json.write(n);
    }

    private static String[] policies(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : n.field("permissionPolicies").map(JsonNode::asArray).orElse(List.of())) {
            out.add(policyText(p));
        }
        return out.toArray(new String[0]);
    }
}
