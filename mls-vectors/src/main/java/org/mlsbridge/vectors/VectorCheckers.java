package org.mlsbridge.vectors;

import java.util.List;

/** Every vector kind we can check; the runner picks one per file. */
public final class VectorCheckers {
    private VectorCheckers() {
    }

    public static List<VectorChecker> all() {
        return List.of(
                // one line per checker, each on its own line, to ease merges
                new org.mlsbridge.vectors.tree.TreeMathChecker(),
                new org.mlsbridge.vectors.tree.TreeOperationsChecker(),
                new org.mlsbridge.vectors.tree.TreeValidationChecker(),
                new org.mlsbridge.vectors.tree.TreeKemChecker(),
                new org.mlsbridge.vectors.crypto.CryptoBasicsChecker(),
                new org.mlsbridge.vectors.secrets.SecretTreeChecker(),
                new org.mlsbridge.vectors.schedule.KeyScheduleChecker(),
                new org.mlsbridge.vectors.schedule.PskSecretChecker(),
                new org.mlsbridge.vectors.codec.DeserializationChecker(),
                new org.mlsbridge.vectors.messages.MessagesChecker(),
                new org.mlsbridge.vectors.schedule.TranscriptHashesChecker(),
                new org.mlsbridge.vectors.framing.MessageProtectionChecker(),
                new org.mlsbridge.vectors.framing.WelcomeChecker(),
                new org.mlsbridge.vectors.group.PassiveClientChecker()
        );
    }
}
