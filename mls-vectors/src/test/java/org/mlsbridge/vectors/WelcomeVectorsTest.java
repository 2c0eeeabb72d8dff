package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.framing.WelcomeChecker;

class WelcomeVectorsTest {
    @TestFactory
    Stream<DynamicTest> welcome() {
        return VectorTests.cases("welcome.json", new WelcomeChecker());
    }
}
