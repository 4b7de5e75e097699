package io.github.sidecarlambda.cli;

import java.util.Optional;

import picocli.CommandLine.Option;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

import io.github.sidecarlambda.ParameterName;

/**
 * {@code --store parameterStore|secretsManager}: where the External IDs live, as the component's option
 * {@code externalIdStore}. Both keep a current and a staged (next) value: Parameter Store as {@code <key>} and
 * {@code <key>.pending}; Secrets Manager as the versions labelled AWSCURRENT and AWSPENDING of the secret
 * {@code <customer>/<environment>/<key>} (no leading slash), promoted with UpdateSecretVersionStage, which also labels
 * the replaced version AWSPREVIOUS (the value the component falls back to after a denial).
 */
final class ExternalIdStoreOption {

    enum Store {
        parameterStore,
        secretsManager
    }

    @Option(
            names = "--store",
            defaultValue = "parameterStore",
            paramLabel = "<store>",
            description =
                    "Where the External IDs are kept: parameterStore (default) or secretsManager, as the component's externalIdStore.")
    Store store;

    /** What a store holds for one key. */
    interface Handle extends AutoCloseable {
        /** Human name of the stored item, e.g. "/acme/prod/trustKey" or "secret acme/prod/trustKey". */
        String describe(boolean pending);

        /** The current (or staged) value; empty when absent. */
        Optional<String> read(boolean pending);

        /** Creates the current value; false when the key already exists (nothing changed). */
        boolean create(String value, String kmsKeyId);

        /** Stages a next value beside the current one; false when there is no current value. */
        boolean stage(String value, String kmsKeyId);

        /** Makes the staged value current; false when nothing is staged. */
        boolean promote();

        @Override
        void close();
    }

    Handle open(AwsOptions aws, ParameterName key) {
        return store == Store.secretsManager ? new Secret(aws.secretsManager(), key) : new Parameter(aws.ssm(), key);
    }

    private static final class Parameter implements Handle {
        private final SsmClient ssm;
        private final String name;

        Parameter(SsmClient ssm, ParameterName key) {
            this.ssm = ssm;
            this.name = key.value();
        }

        private String nameOf(boolean pending) {
            return pending ? name + ExternalIdCommand.PENDING_SUFFIX : name;
        }

        @Override
        public String describe(boolean pending) {
            return nameOf(pending);
        }

        @Override
        public Optional<String> read(boolean pending) {
            try {
                return Optional.of(ssm.getParameter(b -> b.name(nameOf(pending)).withDecryption(true))
                        .parameter()
                        .value());
            } catch (ParameterNotFoundException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean create(String value, String kmsKeyId) {
            try {
                put(name, value, kmsKeyId, false);
                return true;
            } catch (AwsServiceException e) {
                if ("ParameterAlreadyExists".equals(ExternalIdCommand.code(e))) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        public boolean stage(String value, String kmsKeyId) {
            if (!ExternalIdCommand.exists(ssm, name)) {
                return false;
            }
            put(nameOf(true), value, kmsKeyId, true);
            return true;
        }

        @Override
        public boolean promote() {
            Optional<String> staged = read(true);
            if (staged.isEmpty()) {
                return false;
            }
            put(name, staged.get(), null, true);
            ssm.deleteParameter(b -> b.name(nameOf(true)));
            return true;
        }

        private void put(String target, String value, String kmsKeyId, boolean overwrite) {
            ssm.putParameter(b -> b.name(target)
                    .value(value)
                    .type(ParameterType.SECURE_STRING)
                    .overwrite(overwrite)
                    .keyId(kmsKeyId)
                    .description("External ID for sidecar-lambda (camel-sidecar-lambda-cli)"));
        }

        @Override
        public void close() {
            ssm.close();
        }
    }

    private static final class Secret implements Handle {
        static final String CURRENT = "AWSCURRENT";
        static final String PENDING = "AWSPENDING";
        private final SecretsManagerClient sm;
        private final String name;

        Secret(SecretsManagerClient sm, ParameterName key) {
            this.sm = sm;
            this.name = key.value().substring(1); // the component names the secret without the leading slash
        }

        @Override
        public String describe(boolean pending) {
            return "secret " + name + (pending ? " (" + PENDING + ")" : "");
        }

        private Optional<String> versionId(String stage) {
            try {
                return Optional.of(sm.getSecretValue(b -> b.secretId(name).versionStage(stage))
                        .versionId());
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        }

        @Override
        public Optional<String> read(boolean pending) {
            try {
                return Optional.of(sm.getSecretValue(b -> b.secretId(name).versionStage(pending ? PENDING : CURRENT))
                        .secretString());
            } catch (ResourceNotFoundException e) {
                return Optional.empty();
            }
        }

        @Override
        public boolean create(String value, String kmsKeyId) {
            try {
                sm.createSecret(b -> b.name(name)
                        .secretString(value)
                        .kmsKeyId(kmsKeyId)
                        .description("External ID for sidecar-lambda (camel-sidecar-lambda-cli)"));
                return true;
            } catch (AwsServiceException e) {
                if ("ResourceExistsException".equals(ExternalIdCommand.code(e))) {
                    return false;
                }
                throw e;
            }
        }

        @Override
        public boolean stage(String value, String kmsKeyId) {
            if (versionId(CURRENT).isEmpty()) {
                return false;
            }
            sm.putSecretValue(b -> b.secretId(name).secretString(value).versionStages(PENDING));
            return true;
        }

        @Override
        public boolean promote() {
            Optional<String> pending = versionId(PENDING);
            Optional<String> current = versionId(CURRENT);
            if (pending.isEmpty() || current.isEmpty()) {
                return false;
            }
            sm.updateSecretVersionStage(b -> b.secretId(name)
                    .versionStage(CURRENT)
                    .moveToVersionId(pending.get())
                    .removeFromVersionId(current.get()));
            sm.updateSecretVersionStage(
                    b -> b.secretId(name).versionStage(PENDING).removeFromVersionId(pending.get()));
            return true;
        }

        @Override
        public void close() {
            sm.close();
        }
    }
}
