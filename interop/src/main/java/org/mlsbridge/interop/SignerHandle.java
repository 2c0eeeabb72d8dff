package org.mlsbridge.interop;

import java.util.Objects;
import org.mlsbridge.mls.group.ExternalProposer;

/** An external signer the runner created (CreateExternalSigner), e.g. a delivery service. */
record SignerHandle(ExternalProposer proposer) {
    SignerHandle {
        Objects.requireNonNull(proposer, "proposer");
    }
}
