package org.mlsbridge.app.load;

import java.util.ArrayList;
import java.util.List;
import org.mlsbridge.bridge.transport.UserId;

/**
 * The accounts of one load run, fresh (named after the run id, so no KeyPackage or archive of an
 * earlier run is in the way) and registered once: both phases sign in as them ({@link LoadRunner}
 * says why). The bot is the MLS phase's only.
 *
 * @param members x1, m1, x2, m2, ... (XMPP and Matrix alternate): member i of either phase
 * @param bridgeXmpp the bridge's account on XMPP, which the plain relay uses too
 * @param bridgeMatrix the bridge's account on Matrix, which the plain relay uses too
 * @param bot the MLS bridge's external-sender bot (on XMPP)
 */
record RunAccounts(List<UserId> members, UserId bridgeXmpp, UserId bridgeMatrix, UserId bot) {
    RunAccounts {
        members = List.copyOf(members);
    }

    static RunAccounts register(LoadNetwork xmpp, LoadNetwork matrix, String runId, int membersPerNetwork)
            throws Exception {
        List<UserId> members = new ArrayList<>();
        for (int i = 1; i <= membersPerNetwork; i++) {
            members.add(xmpp.register(runId + "x" + i));
            members.add(matrix.register(runId + "m" + i));
        }
        return new RunAccounts(members, xmpp.register(runId + "bridge"), matrix.register(runId + "bridge"),
                xmpp.register(runId + "bot"));
    }
}
