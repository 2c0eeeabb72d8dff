package org.mlsbridge.vectors;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mlsbridge.vectors.codec.DeserializationChecker;

class DeserializationVectorsTest {
    @TestFactory
    Stream<DynamicTest> deserialization() {
        return VectorTests.cases("deserialization.json", new DeserializationChecker());
    }
}
