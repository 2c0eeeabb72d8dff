package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.schedule.TranscriptHashesChecker;

class TranscriptHashesVectorsTest {
    @TestFactory
    Stream<DynamicTest> transcriptHashes() {
        return VectorTests.cases("transcript-hashes.json", new TranscriptHashesChecker());
    }
}
