package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.framing.MessageProtectionChecker;

class MessageProtectionVectorsTest {
    @TestFactory
    Stream<DynamicTest> messageProtection() {
        return VectorTests.cases("message-protection.json", new MessageProtectionChecker());
    }
}
