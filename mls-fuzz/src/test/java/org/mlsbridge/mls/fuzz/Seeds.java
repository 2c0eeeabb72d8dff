package org.mlsbridge.mls.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.mlsbridge.mls.message.MlsMessage;

/** Seeds made from the live fixture group ({@link LiveGroup}). */
final class Seeds {
    private Seeds() {
    }

    static Stream<Arguments> honestMessages() {
        List<Arguments> out = new ArrayList<>();
        List<MlsMessage> honest = LiveGroup.get().honest;
        for (int i = 0; i < honest.size(); i++) {
            MlsMessage m = honest.get(i);
            out.add(VectorSeeds.named("live group " + i + " " + m.wireFormat(), m.toByteArray()));
        }
        out.add(VectorSeeds.named("live group Welcome", LiveGroup.get().welcomeForDave.toByteArray()));
        return out.stream();
    }
}
