package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.schedule.PskSecretChecker;

class PskSecretVectorsTest {
    @TestFactory
    Stream<DynamicTest> pskSecret() {
        return VectorTests.cases("psk_secret.json", new PskSecretChecker());
    }
}
