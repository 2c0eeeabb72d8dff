package org.mlsbridge.bridge.manager;

import java.util.List;
import java.util.Optional;
import org.mlsbridge.mls.MlsException;
import org.mlsbridge.mls.group.ExternalProposer;
import org.mlsbridge.mls.message.GroupContext;

/**
 * The external-sender identities of one bot, one per account it publishes its KeyPackage under (a
 * bridge's bot has one on each network, so a group's creator on either side can list it); each
 * group lists the one its creator claimed, and the bot proposes as that one.
 */
final class BotIdentities {
    private final List<ExternalProposer> proposers;

    BotIdentities(List<ExternalProposer> proposers) {
        this.proposers = List.copyOf(proposers);
    }

    /** The identity the group lists in external_senders, if any. */
    Optional<ExternalProposer> listedIn(GroupContext context) {
        for (ExternalProposer p : proposers) {
            try {
                p.index(context);
                return Optional.of(p);
            } catch (MlsException e) {
                // not this one
            }
        }
        return Optional.empty();
    }
}
