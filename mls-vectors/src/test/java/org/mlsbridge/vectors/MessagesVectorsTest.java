package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.messages.MessagesChecker;

class MessagesVectorsTest {
    @TestFactory
    Stream<DynamicTest> messages() {
        return VectorTests.cases("messages.json", new MessagesChecker());
    }
}
