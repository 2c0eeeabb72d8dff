package org.mlsbridge.mls.validation;

import org.mlsbridge.mls.codec.Bytes;
import org.mlsbridge.mls.message.Credential;

/**
 * Accepts basic credentials whose identity is not empty, and nothing else: x509 chains need a
 * trust store and path validation that only the application can configure. A member keeps its
 * identity: a successor credential must be equal to the current one.
 */
final class BasicCredentialValidator implements CredentialValidator {
    static final BasicCredentialValidator INSTANCE = new BasicCredentialValidator();

    private BasicCredentialValidator() {
    }

    @Override
    public boolean acceptsMember(Credential credential, Bytes signatureKey) {
        return switch (credential) {
            case Credential.BasicCredential b -> !b.identity().isEmpty() && !signatureKey.isEmpty();
            case Credential.X509Credential x -> false;
        };
    }

    @Override
    public boolean acceptsExternalSender(Credential credential, Bytes signatureKey) {
        return acceptsMember(credential, signatureKey);
    }

    @Override
    public boolean acceptsSuccessor(Credential current, Credential next) {
        return current.equals(next);
    }

    @Override
    public String toString() {
        return "CredentialValidator.basic()";
    }
}
