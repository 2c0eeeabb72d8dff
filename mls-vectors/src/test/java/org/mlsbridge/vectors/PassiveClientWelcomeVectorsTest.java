package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.group.PassiveClientChecker;

class PassiveClientWelcomeVectorsTest {
    @TestFactory
    Stream<DynamicTest> cases() {
        return VectorTests.cases("passive-client-welcome.json", new PassiveClientChecker());
    }
}
