package org.mlsbridge.interop;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlsbridge.interop.proto.ExportRequest;
import org.mlsbridge.interop.proto.ProtectRequest;
import org.mlsbridge.interop.proto.StateAuthRequest;
import org.mlsbridge.interop.proto.UnprotectRequest;
import org.mlsbridge.interop.proto.UnprotectResponse;
import org.mlsbridge.interop.rpc.MlsClientRpcs;

/**
 * The harness's "verify group state" subroutine (test-scenarios.md of the working group's
 * repository) over members that should share one epoch: the same state authenticator, the same
 * exported secret, and a message protected by the first and by the last member unprotected by
 * every other one.
 */
final class GroupStateCheck {
    private final Map<String, HarnessClient> clients;
    private final Map<String, Integer> states;

    GroupStateCheck(Map<String, HarnessClient> clients, Map<String, Integer> states) {
        this.clients = clients;
        this.states = states;
    }

    void verify(String where) {
        List<String> members = new ArrayList<>(states.keySet());
        ByteString auth = null;
        ByteString exported = null;
        ByteString context = ByteString.copyFrom(where, StandardCharsets.UTF_8);
        for (String m : members) {
            ByteString a = clients.get(m).call(MlsClientRpcs.STATE_AUTH, StateAuthRequest.newBuilder()
                    .setStateId(states.get(m)).build()).getStateAuthSecret();
            ByteString e = clients.get(m).call(MlsClientRpcs.EXPORT, ExportRequest.newBuilder()
                    .setStateId(states.get(m)).setLabel("mlsbridge interop check").setContext(context)
                    .setKeyLength(32).build()).getExportedSecret();
            if (a.isEmpty() || e.size() != 32) {
                throw new AssertionError(where + ": " + m + " returned an empty authenticator or a short export");
            }
            if (auth == null) {
                auth = a;
                exported = e;
            } else if (!auth.equals(a) || !exported.equals(e)) {
                throw new AssertionError(where + ": " + m + " disagrees with " + members.get(0)
                        + (auth.equals(a) ? " on the exported secret" : " on the state authenticator"));
            }
        }
        roundTrip(where, members.get(0), members);
        if (members.size() > 1) {
            roundTrip(where, members.get(members.size() - 1), members);
        }
    }

    private void roundTrip(String where, String sender, List<String> members) {
        ByteString aad = ByteString.copyFrom("check " + where, StandardCharsets.UTF_8);
        ByteString text = ByteString.copyFrom("hello from " + sender, StandardCharsets.UTF_8);
        ByteString ct = clients.get(sender).call(MlsClientRpcs.PROTECT, ProtectRequest.newBuilder()
                .setStateId(states.get(sender)).setAuthenticatedData(aad).setPlaintext(text).build()).getCiphertext();
        for (String m : members) {
            if (m.equals(sender)) {
                continue;
            }
            UnprotectResponse r = clients.get(m).call(MlsClientRpcs.UNPROTECT, UnprotectRequest.newBuilder()
                    .setStateId(states.get(m)).setCiphertext(ct).build());
            if (!r.getPlaintext().equals(text) || !r.getAuthenticatedData().equals(aad)) {
                throw new AssertionError(where + ": " + m + " unprotected something else than " + sender + " sent");
            }
        }
    }
}
