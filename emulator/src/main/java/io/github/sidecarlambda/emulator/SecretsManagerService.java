package io.github.sidecarlambda.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Secrets Manager, JSON 1.1 protocol (X-Amz-Target: secretsmanager.*): CreateSecret, GetSecretValue, PutSecretValue and
 * UpdateSecretVersionStage with version stages as the Secrets Manager API Reference describes them: each staging label
 * is on at most one version; PutSecretValue without VersionStages moves AWSCURRENT to the new version; moving
 * AWSCURRENT moves AWSPREVIOUS to the version it left; GetSecretValue without a stage or version returns AWSCURRENT.
 * Authorization: {@code secretsmanager:<Operation>} on the secret's ARN ({@code ...:secret:<name>-<6 characters>}).
 */
final class SecretsManagerService {
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    static final String CURRENT = "AWSCURRENT";
    static final String PREVIOUS = "AWSPREVIOUS";
    private static final char[] SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    static final class Version {
        final String id;
        final String value;
        final Instant created;
        final Set<String> stages = new LinkedHashSet<>();

        Version(String id, String value, Instant created) {
            this.id = id;
            this.value = value;
            this.created = created;
        }
    }

    static final class Secret {
        final String arn;
        final String name;
        final Map<String, Version> versions = new LinkedHashMap<>();

        Secret(String arn, String name) {
            this.arn = arn;
            this.name = name;
        }

        Version withStage(String stage) {
            return versions.values().stream()
                    .filter(v -> v.stages.contains(stage))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** key: account \0 region \0 name. */
    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

    private final Clock clock;

    SecretsManagerService(Clock clock) {
        this.clock = clock;
    }

    static final java.util.Set<String> OPERATIONS =
            java.util.Set.of("CreateSecret", "GetSecretValue", "PutSecretValue", "UpdateSecretVersionStage");

    static String operationOf(Req req) {
        return req.jsonTarget("secretsmanager", OPERATIONS);
    }

    static String resourceHint(Req req) {
        try {
            JsonNode n = Json.parse(req.body);
            return Json.str(n, "SecretId").or(() -> Json.str(n, "Name")).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String key(String account, String region, String name) {
        return account + '\0' + region + '\0' + name;
    }

    private static String newArn(String account, String region, String name) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX[Iam.RANDOM.nextInt(SUFFIX.length)]);
        }
        return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix;
    }

    /** Direct write, no authorization: a new version that becomes AWSCURRENT (creates the secret if needed). */
    synchronized void put(String account, String region, String name, String value) {
        Secret s = secrets.computeIfAbsent(
                key(account, region, name), k -> new Secret(newArn(account, region, name), name));
        addVersion(s, UUID.randomUUID().toString(), value, List.of(CURRENT));
    }

    Resp handle(Req req) {
        JsonNode in;
        try {
            in = req.body.length == 0 ? JsonNode.emptyObjectNode() : Json.parse(req.body);
        } catch (RuntimeException e) {
            throw new AwsError(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        if (!in.isObject()) {
            throw new AwsError(400, "SerializationException", "Start of structure or map found where not expected.");
        }
        synchronized (this) {
            switch (req.operation) {
                case "CreateSecret":
                    return createSecret(req, in);
                case "GetSecretValue":
                    return getSecretValue(req, in);
                case "PutSecretValue":
                    return putSecretValue(req, in);
                case "UpdateSecretVersionStage":
                    return updateSecretVersionStage(req, in);
                default:
                    throw new AwsError(400, "UnknownOperationException", null);
            }
        }
    }

    private void authorize(Req req, String action, String resource) {
        req.resource = resource;
        if (!req.principal.allowed(action, resource, req.context)) {
            throw new AwsError(
                    400,
                    "AccessDeniedException",
                    "User: " + req.principal.arn + " is not authorized to perform: " + action + " on resource: "
                            + resource + " because no identity-based policy allows the " + action + " action");
        }
    }

    private static String required(JsonNode in, String field) {
        return Json.str(in, field)
                .filter(s -> !s.isEmpty())
                .orElseThrow(() -> new AwsError(
                        400,
                        "InvalidParameterException",
                        "1 validation error detected: Value null at '" + field
                                + "' failed to satisfy constraint: Member must not be null"));
    }

    /** The secret named by SecretId (a name or the full ARN), authorized for action; ResourceNotFound after authorization. */
    private Secret secret(Req req, JsonNode in, String action) {
        String id = required(in, "SecretId");
        String acct = req.principal.account;
        Secret s;
        if (id.startsWith("arn:")) {
            s = secrets.values().stream()
                    .filter(x -> x.arn.equals(id))
                    .findFirst()
                    .orElse(null);
            authorize(req, action, id);
        } else {
            s = secrets.get(key(acct, req.region(), id));
            // an unknown name is authorized against the ARN pattern it would have
            authorize(
                    req,
                    action,
                    s != null ? s.arn : "arn:aws:secretsmanager:" + req.region() + ":" + acct + ":secret:" + id);
        }
        if (s == null) {
            throw new AwsError(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return s;
    }

    private Resp createSecret(Req req, JsonNode in) {
        String name = required(in, "Name");
        String value = required(in, "SecretString");
        String acct = req.principal.account;
        String k = key(acct, req.region(), name);
        Secret existing = secrets.get(k);
        Secret s = existing != null ? existing : new Secret(newArn(acct, req.region(), name), name);
        authorize(req, "secretsmanager:CreateSecret", s.arn);
        if (existing != null) {
            throw new AwsError(
                    400,
                    "ResourceExistsException",
                    "The operation failed because the secret " + name + " already exists.");
        }
        secrets.put(k, s);
        Version v = addVersion(
                s, Json.str(in, "ClientRequestToken").orElse(UUID.randomUUID().toString()), value, List.of(CURRENT));
        return ok("{\"ARN\":" + Json.quote(s.arn) + ",\"Name\":" + Json.quote(s.name) + ",\"VersionId\":"
                + Json.quote(v.id) + "}");
    }

    private Resp getSecretValue(Req req, JsonNode in) {
        Secret s = secret(req, in, "secretsmanager:GetSecretValue");
        String versionId = Json.str(in, "VersionId").orElse(null);
        String stage = Json.str(in, "VersionStage").orElse(versionId == null ? CURRENT : null);
        Version v = versionId != null ? s.versions.get(versionId) : s.withStage(stage);
        if (v == null || (stage != null && !v.stages.contains(stage))) {
            throw new AwsError(
                    400,
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for "
                            + (versionId != null ? "VersionId: " + versionId : "staging label: " + stage));
        }
        long ms = v.created.toEpochMilli();
        return ok("{\"ARN\":" + Json.quote(s.arn) + ",\"Name\":" + Json.quote(s.name) + ",\"VersionId\":"
                + Json.quote(v.id)
                + ",\"SecretString\":" + Json.quote(v.value) + ",\"VersionStages\":" + stages(v)
                + ",\"CreatedDate\":" + (ms / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", ms % 1000)
                + "}");
    }

    private Resp putSecretValue(Req req, JsonNode in) {
        Secret s = secret(req, in, "secretsmanager:PutSecretValue");
        String value = required(in, "SecretString");
        List<String> stages = in.field("VersionStages").map(Json::strings).orElse(List.of(CURRENT));
        String token =
                Json.str(in, "ClientRequestToken").orElse(UUID.randomUUID().toString());
        Version existing = s.versions.get(token);
        if (existing != null) {
            if (!existing.value.equals(value)) {
                throw new AwsError(
                        400,
                        "ResourceExistsException",
                        "You can't modify an existing version, you can only create new versions.");
            }
            return ok("{\"ARN\":" + Json.quote(s.arn) + ",\"Name\":" + Json.quote(s.name) + ",\"VersionId\":"
                    + Json.quote(existing.id) + ",\"VersionStages\":" + stages(existing) + "}");
        }
        Version v = addVersion(s, token, value, stages);
        return ok("{\"ARN\":" + Json.quote(s.arn) + ",\"Name\":" + Json.quote(s.name) + ",\"VersionId\":"
                + Json.quote(v.id) + ",\"VersionStages\":" + stages(v) + "}");
    }

    private Resp updateSecretVersionStage(Req req, JsonNode in) {
        Secret s = secret(req, in, "secretsmanager:UpdateSecretVersionStage");
        String stage = required(in, "VersionStage");
        String moveTo = Json.str(in, "MoveToVersionId").orElse(null);
        String removeFrom = Json.str(in, "RemoveFromVersionId").orElse(null);
        Version holder = s.withStage(stage);
        if (moveTo != null && !s.versions.containsKey(moveTo)) {
            throw new AwsError(
                    400,
                    "ResourceNotFoundException",
                    "Secrets Manager can't find the specified secret value for " + "VersionId: " + moveTo);
        }
        if (holder != null && !holder.id.equals(moveTo) && !holder.id.equals(removeFrom)) {
            throw new AwsError(
                    400,
                    "InvalidParameterException",
                    "The staging label " + stage + " is currently attached to " + "version " + holder.id
                            + ", so you must explicitly reference that version in RemoveFromVersionId.");
        }
        if (removeFrom != null && holder != null && holder.id.equals(removeFrom)) {
            holder.stages.remove(stage);
        }
        if (moveTo != null) {
            Version target = s.versions.get(moveTo);
            target.stages.add(stage);
            if (CURRENT.equals(stage) && holder != null && holder != target) {
                movePrevious(s, holder);
            }
        }
        return ok("{\"ARN\":" + Json.quote(s.arn) + ",\"Name\":" + Json.quote(s.name) + "}");
    }

    private Version addVersion(Secret s, String id, String value, List<String> stages) {
        Version v = new Version(id, value, clock.instant());
        Version oldCurrent = s.withStage(CURRENT);
        if (s.versions.isEmpty() && !stages.contains(CURRENT)) {
            // the first version of a secret is always AWSCURRENT
            List<String> with = new ArrayList<>(stages);
            with.add(CURRENT);
            stages = with;
        }
        for (String stage : stages) {
            Version holder = s.withStage(stage);
            if (holder != null) {
                holder.stages.remove(stage);
            }
            v.stages.add(stage);
        }
        s.versions.put(id, v);
        if (stages.contains(CURRENT) && oldCurrent != null) {
            movePrevious(s, oldCurrent);
        }
        return v;
    }

    private static void movePrevious(Secret s, Version to) {
        Version holder = s.withStage(PREVIOUS);
        if (holder != null) {
            holder.stages.remove(PREVIOUS);
        }
        to.stages.add(PREVIOUS);
    }

    private static String stages(Version v) {
        StringBuilder b = new StringBuilder("[");
        for (String stage : v.stages) {
            b.append(b.length() > 1 ? "," : "").append(Json.quote(stage));
        }
        return b.append(']').toString();
    }

    private static Resp ok(String body) {
        return Resp.json(200, CONTENT_TYPE, body).header("x-amzn-RequestId", Iam.requestId());
    }

    static Resp error(AwsError e) {
        String body = "{\"__type\":" + Json.quote(e.code)
                + (e.getMessage() != null ? ",\"message\":" + Json.quote(e.getMessage()) : "") + "}";
        return Resp.json(e.status, CONTENT_TYPE, body).header("x-amzn-RequestId", Iam.requestId());
    }
}
