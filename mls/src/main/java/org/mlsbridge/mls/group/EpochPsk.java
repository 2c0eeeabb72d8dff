package org.mlsbridge.mls.group;

import java.util.Objects;
import org.mlsbridge.mls.crypto.Secret;

/** The resumption_psk (RFC 9420 §8.6) of one earlier epoch of this group. */
public record EpochPsk(long epoch, Secret psk) {
    public EpochPsk {
        Objects.requireNonNull(psk, "psk");
    }
}
