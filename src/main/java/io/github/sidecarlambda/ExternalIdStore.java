package io.github.sidecarlambda;

import java.util.Arrays;

/** Where the operator keeps the External IDs: option {@code externalIdStore}. */
public enum ExternalIdStore {

    /** SSM Parameter Store: a SecureString read with {@code GetParameter(WithDecryption=true)} (the default). */
    parameterStore,
    /** AWS Secrets Manager: {@code GetSecretValue}; after a denied AssumeRole the previous version is tried once. */
    secretsManager;

    /**
     * The store an option names.
     *
     * @throws SidecarLambdaConfigurationException naming the option, the choices and the rejected value
     */
    public static ExternalIdStore parse(String option, String value) {
        for (ExternalIdStore store : values()) {
            if (store.name().equals(value)) {
                return store;
            }
        }
        throw new SidecarLambdaConfigurationException(
                option,
                "must be "
                        + String.join(
                                " or ", Arrays.stream(values()).map(Enum::name).toList()) + "; was '" + value + "'");
    }
}
